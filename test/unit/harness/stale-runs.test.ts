import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanStaleRuns, pidAlive } from '../../harness/stale-runs';

/** A process whose command line names `file`, as a leftover server names its run directory. */
function holder(file: string): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', file], { stdio: 'ignore' });
}

const exited = (child: ChildProcess): Promise<NodeJS.Signals | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.signalCode) : new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

describe('cleanStaleRuns', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'stale-runs-'));
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes a dead run's directory and kills the servers it left, and leaves a live run alone", async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(pidAlive(dead)).toBe(false);
    const stale = path.join(dir, `run-${dead}`);
    const live = path.join(dir, `run-${process.pid}`);
    for (const d of [stale, live, path.join(dir, 'notes')]) mkdirSync(d);
    writeFileSync(path.join(stale, 'slapd.conf'), 'x');
    const leftover = holder(path.join(stale, 'slapd.conf'));
    const ofLiveRun = holder(path.join(live, 'slapd.conf'));
    const lookAlike = holder(`${stale}9/slapd.conf`); // run-<dead>9 is another run
    children.push(leftover, ofLiveRun, lookAlike);
    await new Promise((r) => setTimeout(r, 200)); // let the children exec

    const r = cleanStaleRuns(dir);

    expect(r).toEqual({ removed: [`run-${dead}`], killed: [leftover.pid] });
    await expect(exited(leftover)).resolves.toBe('SIGKILL');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(path.join(dir, 'notes'))).toBe(true);
    expect(pidAlive(ofLiveRun.pid!)).toBe(true);
    expect(pidAlive(lookAlike.pid!)).toBe(true);
  });

  it('does nothing without a test directory', () => {
    expect(cleanStaleRuns(path.join(dir, 'missing'))).toEqual({ removed: [], killed: [] });
  });
});
