/**
 * `npm run bench -- [--n 100000] [--page-size 2000] [--scenarios import,reconciliation,changed,provisioning,crash,directory]
 *                   [--keep] [--no-profile] [--out file.json]`
 *
 * Starts its own Temporal dev server, FerretDB and slapd on free loopback ports under a fresh
 * var/bench/<timestamp>/ (never the servers of `npm start`), runs the scenarios (bench/README.md), prints a table
 * and writes the JSON to bench/results/<date>-n<N>.json. The directory is removed at the end unless --keep.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/embedded/paths';
import { runBench, SCENARIOS, type BenchResult, type ScenarioId } from './bench';
import { calibrate, machineInfo } from './calibration';
import { details, table } from './report';
import { startServers, stopChildren } from './services';

export interface CliOptions {
  n: number;
  pageSize: number;
  scenarios: ScenarioId[];
  keep: boolean;
  profile: boolean;
  out: string | null;
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { n: 100_000, pageSize: 2000, scenarios: [...SCENARIOS], keep: false, profile: true, out: null };
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  const positive = (v: string, name: string): number => {
    const x = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(x) || x < 1) throw new Error(`${name} expects a positive integer, got ${v}`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const arg = () => inline ?? value(i++, flag);
    if (flag === '--n') o.n = positive(arg(), '--n');
    else if (flag === '--page-size') o.pageSize = positive(arg(), '--page-size');
    else if (flag === '--scenarios') {
      o.scenarios = arg()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => {
          const byNumber = /^\d$/.test(s) ? SCENARIOS[Number(s) - 1] : undefined;
          const id = byNumber ?? (SCENARIOS as readonly string[]).find((x) => x === s);
          if (!id) throw new Error(`unknown scenario ${s}; expected 1-6 or ${SCENARIOS.join(', ')}`);
          return id as ScenarioId;
        });
    } else if (flag === '--keep') o.keep = true;
    else if (flag === '--no-profile') o.profile = false;
    else if (flag === '--out') o.out = arg();
    else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const varDir = path.join(root, 'var', 'bench', stamp);
  mkdirSync(varDir, { recursive: true });
  const say = (s: string) => process.stdout.write(`${s}\n`);
  say(`bench: N=${o.n}, page size ${o.pageSize}, scenarios ${o.scenarios.join(',')}; servers, data, logs under ${path.relative(root, varDir)}`);
  // Before the servers start, so nothing competes for the core.
  const machine = machineInfo(calibrate());
  say(`machine: ${machine.cpus} x ${machine.cpuModel} at ${machine.cpuMHz} MHz; calibration ${machine.calibrationPerSecond?.toLocaleString('en')} rounds/s on one core`);
  const servers = await startServers(varDir);
  let ok = false;
  const stop = async () => {
    await stopChildren();
    await servers.stop();
    if (ok && !o.keep) rmSync(varDir, { recursive: true, force: true });
  };
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => void stop().finally(() => process.exit(code)));
  try {
    const out = o.out ?? path.join(root, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}-n${o.n}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    const save = (r: BenchResult) => writeFileSync(out, JSON.stringify(r, null, 2) + '\n');
    const result = await runBench({ n: o.n, pageSize: o.pageSize, scenarios: o.scenarios, varDir, servers, profile: o.profile, log: say, onScenario: save, machine });
    save(result);
    say('');
    say(table(result));
    say('');
    say(details(result));
    say(`\nresults: ${path.relative(root, out)}${o.keep ? `; kept ${path.relative(root, varDir)}` : ''}`);
    ok = true;
  } finally {
    await stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
