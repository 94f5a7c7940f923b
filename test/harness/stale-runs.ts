import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Whether a process exists (EPERM: it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose command line names `dir` (Linux /proc): the servers a test run started under it. */
function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((arg) => arg === dir || arg.includes(`${dir}/`))) found.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

/**
 * A test run keeps its servers' data and logs in `run-<jest pid>` (worth reading after a failure) and stops its
 * servers in globalTeardown. A run that was killed (Ctrl-C, a closed pipe) never tears down: its Temporal server and
 * slapd stay up and its directory stays behind (~17 MB each). The next run removes the directories of runs whose
 * jest process is gone, killing any server still running from one; a run that is still going is left alone.
 */
export function cleanStaleRuns(testDir: string, alive: (pid: number) => boolean = pidAlive): { removed: string[]; killed: number[] } {
  const removed: string[] = [];
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(testDir);
  } catch {
    return { removed, killed };
  }
  for (const name of entries) {
    const m = /^run-(\d+)$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = path.join(testDir, name);
    for (const pid of processesUnder(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    removed.push(name);
  }
  return { removed, killed };
}
