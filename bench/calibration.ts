import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';

/**
 * What the machine was when a bench ran. The same code measured 631 s for a 1,000,000-account import on session 9's
 * day and 259 s on session 10's, on machines of the same kind (2 cores): the processor behind them differs from day
 * to day, so a result is only comparable with another one of a similar calibration score.
 */
export interface MachineInfo {
  cpus: number;
  node: string;
  cpuModel: string;
  cpuMHz: number;
  /** rounds per second of a fixed single-core workload (JSON and SHA-256 of an account-sized record), higher is faster; null when not measured */
  calibrationPerSecond: number | null;
}

/** One round: what a worker does to an account, in miniature (serialize, parse, hash). */
function round(record: Record<string, string>, i: number): number {
  const text = JSON.stringify({ ...record, line: i });
  const back = JSON.parse(text) as Record<string, unknown>;
  return createHash('sha256').update(text).update(String(back.line)).digest()[0]!;
}

/** Measures the calibration score over about `seconds` of one core (after a warm-up). */
export function calibrate(seconds = 2): number {
  const record = Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`attribute${k}`, `value ${k} of a typical HR export row`]));
  let sink = 0;
  for (let i = 0; i < 5_000; i++) sink ^= round(record, i);
  const started = process.hrtime.bigint();
  const until = started + BigInt(Math.round(seconds * 1e9));
  let rounds = 0;
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 1_000; i++) sink ^= round(record, rounds + i);
    rounds += 1_000;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  // `sink` keeps the rounds from being optimized away; it is always a byte.
  return sink < 256 ? Math.round(rounds / elapsed) : 0;
}

export function machineInfo(calibrationPerSecond: number | null): MachineInfo {
  const cpus = os.cpus();
  const cpu = cpus[0];
  return { cpus: cpus.length, node: process.version, cpuModel: cpu?.model.trim() ?? 'unknown', cpuMHz: cpu?.speed || cpuinfoMHz(), calibrationPerSecond };
}

/** Node reads the clock from cpufreq, which a virtual machine often lacks (0); /proc/cpuinfo still states it. */
function cpuinfoMHz(): number {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? Math.round(Number(m[1])) : 0;
  } catch {
    return 0;
  }
}
