import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { provisioningAvailable, runBench, SCENARIOS, type BenchResult, type ScenarioResult } from '../../bench/bench';
import { calibrate, machineInfo } from '../../bench/calibration';
import { changedCounts, row, HEADER } from '../../bench/data';
import { parseArgs } from '../../bench/run';
import { details, table } from '../../bench/report';
import { testEnv } from '../harness/env';
import { measureLdapRead } from '../../bench/ldap-read';
import { deleteSubtree } from './connectors/ldap-support';

/**
 * The bench harness itself (bench/*.ts, run in-process here) against the integration servers, with the worker and
 * the API as child processes from dist/ (as `npm run bench` runs them; `npm test` builds dist first). Small N:
 * this checks that every scenario runs and reports exact counts and measurements, never how fast.
 */
describe('npm run bench (harness, N = 300)', () => {
  const n = 300;
  // 15 pages a run: the crash scenario must find the run with pages still to do when it kills (at half the accounts)
  const pageSize = 20;
  let result: BenchResult;
  let varDir: string;
  const scenario = (id: string): ScenarioResult => result.scenarios.find((s) => s.id === id)!;

  beforeAll(async () => {
    const env = testEnv();
    varDir = mkdtempSync(path.join(tmpdir(), 'bench-test-'));
    result = await runBench({
      n,
      pageSize,
      scenarios: [...SCENARIOS],
      varDir,
      servers: { temporalAddress: env.temporalAddress, mongoUri: env.mongoUri, ldap: env.ldap, pids: {}, stop: async () => undefined },
      profile: true,
      pollMs: 50,
    });
  }, 180_000);
  afterAll(() => {
    if (varDir) rmSync(varDir, { recursive: true, force: true });
  });

  it('runs every scenario, in order', () => {
    expect(result.n).toBe(n);
    expect(result.pageSize).toBe(pageSize);
    expect(result.scenarios.map((s) => s.id)).toEqual([...SCENARIOS]);
    // the CLI calibrates before its servers start; runBench alone records the machine without a score
    expect(result.machine).toEqual(expect.objectContaining({ cpus: cpus().length, node: process.version, calibrationPerSecond: null }));
  });

  it('IMPORT and the reconciliations report exact statistics, throughput and peak RSS', () => {
    const c = changedCounts(n);
    expect(c).toEqual({ kept: 297, modified: 30, removed: 3, added: 3 });
    const expected: Record<string, { entries: number; situations: Record<string, number>; actions: Record<string, number> }> = {
      import: { entries: n, situations: { UNMATCHED: n }, actions: { ADD_IDM_OBJECT: n } },
      reconciliation: { entries: n, situations: { LINKED: n }, actions: { SYNCHRONIZE_IDM_OBJECT: n } },
      changed: { entries: 303, situations: { LINKED: 297, UNMATCHED: 3, DELETED: 3 }, actions: { SYNCHRONIZE_IDM_OBJECT: 297, ADD_IDM_OBJECT: 3, INACTIVATE_IDM_OBJECT: 3 } },
      crash: { entries: n, situations: { UNMATCHED: n }, actions: { ADD_IDM_OBJECT: n } },
    };
    for (const [id, e] of Object.entries(expected)) {
      const s = scenario(id);
      expect(s.available).toBe(true);
      expect(s.countsOk).toBe(true);
      const run = s.runs[0]!;
      expect(run).toEqual(expect.objectContaining({ entries: e.entries, outcome: 'SUCCESS', errors: 0, situations: e.situations, actions: e.actions }));
      expect(run.wallSeconds).toBeGreaterThan(0);
      expect(run.accountsPerSecond).toBeGreaterThan(0);
      expect(s.peakRssMiB!.worker).toBeGreaterThan(0);
      expect(s.peakRssMiB!.api).toBeGreaterThan(0);
      expect(s.cpuSeconds!.worker).toBeGreaterThan(0);
      // The worker's profile was written and summarized, and the breakdown adds up.
      expect(s.workerProfileMs!.store).toBeGreaterThan(0);
      expect(s.workerProfileMs!.temporal).toBeGreaterThan(0);
      const pct = Object.values(s.breakdown!.percent).reduce((a, b) => a + b, 0);
      expect(pct).toBeGreaterThanOrEqual(98);
      expect(pct).toBeLessThanOrEqual(102);
      // The run's phases come from its Temporal history: one prepare, one activity per page of the file (a crashed
      // page is retried within its activity), the deleted detection for reconciliations only.
      const phases = run.phases!;
      const rows = id === 'changed' ? c.kept + c.added : n;
      expect(phases.activities.prepareSyncRun!.count).toBe(1);
      expect(phases.activities.processSyncPage!.count).toBe(Math.ceil(rows / pageSize));
      expect(phases.activities.snapshotDeleted?.count).toBe(id === 'reconciliation' || id === 'changed' ? 1 : undefined);
      expect(phases.activities.processDeletedPage?.count).toBe(id === 'changed' ? 1 : undefined);
      const inActivities = Object.values(phases.activities).reduce((a, t) => a + t.seconds, 0);
      expect(phases.wallSeconds).toBeGreaterThan(0);
      expect(phases.betweenActivitiesSeconds).toBeGreaterThanOrEqual(0);
      expect(Math.abs(inActivities + phases.betweenActivitiesSeconds - phases.wallSeconds)).toBeLessThan(0.5);
      expect(phases.wallSeconds).toBeLessThanOrEqual(run.wallSeconds + 1);
    }
  });

  it('crash recovery: the worker was killed mid-run, the run completed with exact counts and says how much was redone', () => {
    const x = scenario('crash').extra!;
    expect(x.killedAtProcessed).toBeGreaterThanOrEqual(n / 2);
    expect(x.killedAtProcessed).toBeLessThan(n);
    expect(x.idmObjects).toBe(n);
    expect(x.shadows).toBe(n);
    // A kill between two pages redoes nothing, a kill during a page redoes that page: never more than one.
    expect(x.pagesRedone).toBeGreaterThanOrEqual(0);
    expect(x.pagesRedone).toBeLessThanOrEqual(1);
    expect(x.entriesRedoneAtMost).toBe((x.pagesRedone as number) * pageSize);
    expect(x.extraSecondsVsImport).toEqual(expect.any(Number));
    expect(x.resumedSecondsAfterKill).toBeGreaterThan(0);
    expect(x.extraSeconds).toEqual(expect.any(Number));
  });

  it('provisioning: runs twice when the build has it, and the second run writes nothing to the directory', () => {
    const s = scenario('provisioning');
    expect(s.available).toBe(provisioningAvailable());
    if (!s.available) {
      expect(s.note).toMatch(/not available/);
      return;
    }
    expect(s.runs.map((r) => r.label)).toEqual(['provisioning (first)', 'provisioning (no change)']);
    const x = s.extra!;
    const identities = scenario('changed').runs[0]!.entries; // 297 kept + 3 new + 3 inactivated
    expect(s.countsOk).toBe(true);
    expect(s.runs.map((r) => [r.entries, r.outcome, r.errors])).toEqual([
      [identities, 'SUCCESS', 0],
      [identities, 'SUCCESS', 0],
    ]);
    expect(x.directoryEntries).toBe(identities);
    expect(x.firstRunDirectoryWrites).toBeGreaterThanOrEqual(identities);
    expect(x.secondRunDirectoryWrites).toBe(0);
    expect(x.secondRunEntriesWritten).toBe(0);
    expect(x.secondRunEntriesDeleted).toBe(0);
  });

  it('directory: reconciles every provisioned LDAP account, read from the directory, as LINKED and unchanged, twice', () => {
    const s = scenario('directory');
    const identities = scenario('changed').runs[0]!.entries;
    expect(s.countsOk).toBe(true);
    expect(s.extra).toEqual({ directoryEntries: identities });
    expect(s.runs.map((r) => r.label)).toEqual(['directory reconciliation (first)', 'directory reconciliation (again)']);
    for (const r of s.runs)
      expect(r).toEqual(expect.objectContaining({ entries: identities, outcome: 'SUCCESS', errors: 0, situations: { LINKED: identities }, actions: { SYNCHRONIZE_IDM_OBJECT: identities } }));
  });

  it('prints a table with one row per run and the details', () => {
    const lines = table(result).split('\n');
    expect(lines).toHaveLength(2 + result.scenarios.reduce((k, s) => k + Math.max(1, s.runs.length), 0));
    expect(lines[0]).toMatch(/accounts\/s.*worker MiB.*API MiB/);
    expect(details(result)).toContain('pagesRedone');
  });
});

describe('bench data and arguments', () => {
  it('generates the same row for an index whatever N is, and a modified row differs only in department and title', () => {
    expect(HEADER.split(',')).toHaveLength(10);
    expect(row(42)).toBe(row(42));
    expect(row(42).split(',')[0]).toBe('E0000042');
    const [a, b] = [row(13).split(','), row(13, true).split(',')];
    expect(a.filter((v, i) => v !== b[i])).toHaveLength(2);
  });

  it('records what the machine was: its processor and a single-core calibration score', () => {
    const score = calibrate(0.2);
    expect(score).toBeGreaterThan(1_000);
    const m = machineInfo(score);
    expect(m).toEqual(expect.objectContaining({ cpus: cpus().length, node: process.version, cpuModel: cpus()[0]!.model.trim(), calibrationPerSecond: score }));
    expect(m.cpuModel).not.toBe('');
    expect(m.cpuMHz).toBeGreaterThan(0); // from /proc/cpuinfo where Node reports 0 (virtual machines)
  });

  it('parses the options, by scenario number or name', () => {
    expect(parseArgs([])).toEqual({ n: 100_000, pageSize: 2000, scenarios: [...SCENARIOS], keep: false, profile: true, out: null });
    expect(parseArgs(['--n', '1_000_000', '--page-size=250', '--scenarios', '1,reconciliation,5', '--keep'])).toEqual(
      expect.objectContaining({ n: 1_000_000, pageSize: 250, scenarios: ['import', 'reconciliation', 'crash'], keep: true }),
    );
    expect(parseArgs(['--scenarios', '6']).scenarios).toEqual(['directory']);
    expect(() => parseArgs(['--scenarios', '9'])).toThrow(/unknown scenario 9/);
    expect(() => parseArgs(['--n', '0'])).toThrow(/positive integer/);
  });
});

describe('bench: the LDAP read measurement (npm run bench:ldap-read)', () => {
  it('loads N entries and measures the one-pass read and sampled per-page reads, with exact counts', async () => {
    const { ldap } = testEnv();
    const people = `ou=ldap-read-${randomBytes(4).toString('hex')},${ldap.suffix}`;
    try {
      const r = await measureLdapRead(ldap, people, 1_200, 500);
      expect(r.readAll).toEqual(expect.objectContaining({ pages: 3, total: 1_200 }));
      expect(r.readPage.map((p) => [p.at, p.items])).toEqual([[0, 500], [300, 500], [600, 500], [900, 300], [700, 500]]);
      expect(r.readPageFullEstimateSeconds).toBeGreaterThanOrEqual(0);
      expect(r.loadSeconds).toBeGreaterThan(0);
    } finally {
      await deleteSubtree(ldap, people);
    }
  });
});
