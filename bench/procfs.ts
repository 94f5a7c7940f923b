/**
 * Process measurements from /proc (Linux): resident memory (VmRSS, VmHWM) and CPU time (utime + stime).
 * A sampler polls a set of processes and keeps, per process name, the highest RSS it saw.
 */
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux the project targets

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null; // the process is gone
  }
}

/** Peak resident set size of the process so far (bytes), or null when it is gone. */
export const peakRss = (pid: number): number | null => statusField(pid, 'VmHWM');
export const currentRss = (pid: number): number | null => statusField(pid, 'VmRSS');

/** CPU seconds (user + system) the process has used, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

export const mib = (bytes: number | null | undefined): number | null => (bytes == null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10);

/**
 * Samples the RSS of named processes every `intervalMs`. A name may change pid (the worker restarted after a
 * crash): the peak is over every pid it had. `VmHWM` is read too, so a spike between two samples still counts.
 */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly pids = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = 250) {}

  track(name: string, pid: number | undefined): void {
    if (pid === undefined) return;
    this.sampleOne(name); // the previous pid's last high-water mark
    this.pids.set(name, pid);
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  sample(): void {
    for (const name of this.pids.keys()) this.sampleOne(name);
  }

  private sampleOne(name: string): void {
    const pid = this.pids.get(name);
    if (pid === undefined) return;
    const v = Math.max(currentRss(pid) ?? 0, peakRss(pid) ?? 0);
    if (v > (this.peaks.get(name) ?? 0)) this.peaks.set(name, v);
  }

  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(this.peaks);
  }
}

/** CPU seconds used by named processes between `start()` and `stop()`; restarts of a name are summed. */
export class CpuMeter {
  private readonly used = new Map<string, number>();
  private readonly current = new Map<string, { pid: number; at: number }>();

  track(name: string, pid: number | undefined): void {
    if (pid === undefined) return;
    this.close(name);
    this.current.set(name, { pid, at: cpuSeconds(pid) ?? 0 });
  }

  /** Call before a tracked process exits (its counters vanish with it). */
  close(name: string): void {
    const c = this.current.get(name);
    if (!c) return;
    const now = cpuSeconds(c.pid);
    if (now !== null) this.used.set(name, (this.used.get(name) ?? 0) + now - c.at);
    this.current.delete(name);
  }

  stop(): Record<string, number> {
    for (const name of [...this.current.keys()]) this.close(name);
    return Object.fromEntries([...this.used].map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }
}
