/**
 * The benchmark of issue 9: end-to-end runs driven through the REST API against a worker and an API running as
 * child processes, on embedded servers. Each scenario restarts the worker and the API, so their peak RSS
 * (VmHWM, sampled with VmRSS) and the worker's CPU profile belong to that scenario alone.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { projectRoot } from '../src/embedded/paths';
import { COLLECTIONS } from '../src/store/collections';
import { tenantDbName } from '../src/store/mongo';
import { machineInfo, type MachineInfo } from './calibration';
import { changedCounts, writeBaseCsv, writeChangedCsv } from './data';
import { countEntries, ensureContainers, generalizedTime } from './ldap';
import { sumProfiles, summarizeProfile, type Category } from './profile';
import { CpuMeter, mib, RssSampler } from './procfs';
import { Rest, type RunProgress, type TaskKind } from './rest';
import { runPhases, type RunPhases } from './phases';
import { runWorkflowId } from '../src/temporal/ids';
import { startApi, startWorker, stopWorker, type Child, type Servers, type ServiceEnv } from './services';

export const SCENARIOS = ['import', 'reconciliation', 'changed', 'provisioning', 'crash', 'directory'] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export const SCENARIO_TITLES: Record<ScenarioId, string> = {
  import: '1. IMPORT of N new accounts (empty repository)',
  reconciliation: '2. RECONCILIATION of the same N, no change',
  changed: '3. RECONCILIATION, 10% modified, 1% removed, 1% new',
  provisioning: '4. PROVISIONING of the IDM objects into LDAP, then again with no change',
  crash: '5. IMPORT of a fresh tenant, worker SIGKILLed at ~50% and restarted',
  directory: '6. RECONCILIATION of the provisioned LDAP accounts (read from the directory), no change, twice',
};

export interface BenchOptions {
  n: number;
  pageSize: number;
  scenarios: ScenarioId[];
  /** where data, logs and profiles go */
  varDir: string;
  servers: Servers;
  /** run the worker with --cpu-prof and summarize it per scenario */
  profile: boolean;
  log?: (line: string) => void;
  /** called with the results so far after each scenario (the CLI writes its JSON each time: a long run keeps what it measured) */
  onScenario?: (partial: BenchResult) => void;
  pollMs?: number;
  /** what the machine was (the CLI calibrates it before the servers start); cores and Node only when absent */
  machine?: MachineInfo;
}

export interface Breakdown {
  /** CPU seconds per component, across the worker (by profile), FerretDB, Temporal server, slapd, API */
  cpuSeconds: Record<'connector' | 'store' | 'scripts' | 'engine' | 'temporal' | 'other', number>;
  percent: Record<'connector' | 'store' | 'scripts' | 'engine' | 'temporal' | 'other', number>;
}

export interface RunMeasure {
  label: string;
  entries: number;
  wallSeconds: number;
  accountsPerSecond: number;
  /** the run's own processingTimeMillis (start to end date, as recorded by the service) */
  serverSeconds: number;
  outcome: string | null;
  situations: Record<string, number>;
  actions: Record<string, number>;
  errors: number;
  /** the first few error descriptions of a run that had errors */
  sampleErrors?: string[];
  /** where the wall time went, per activity type, from the run's Temporal history */
  phases?: RunPhases;
  /** pages whose plan was decided while the page before was applied (src/activities/decide-ahead.ts) */
  pagesDecidedAhead?: number;
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  available: boolean;
  note?: string;
  runs: RunMeasure[];
  /** expected vs actual statistics */
  expected?: { situations: Record<string, number>; actions: Record<string, number> };
  countsOk?: boolean;
  peakRssMiB?: Record<string, number | null>;
  cpuSeconds?: Record<string, number>;
  workerProfileMs?: Record<Category, number> | null;
  breakdown?: Breakdown | null;
  extra?: Record<string, unknown>;
  /** the machine's 1-minute load average sampled during the scenario (2 cores: above 2, others were competing) */
  loadAverage?: { mean: number; max: number };
}

export interface BenchResult {
  n: number;
  pageSize: number;
  date: string;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
}

/** True when the provisioning run workflow is in the build (another issue builds it). */
export function provisioningAvailable(): boolean {
  const index = path.join(projectRoot(), 'dist', 'src', 'workflows', 'index.js');
  return existsSync(index) && readFileSync(index, 'utf8').includes('provisioningRunWorkflow');
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const eq = (a: Record<string, number>, b: Record<string, number>) => {
  const clean = (o: Record<string, number>) => JSON.stringify(Object.entries(o).filter(([, v]) => v !== 0).sort(([x], [y]) => x.localeCompare(y)));
  return clean(a) === clean(b);
};

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const log = o.log ?? (() => undefined);
  const pollMs = o.pollMs ?? 250;
  const timeoutMs = Math.max(600_000, o.n * 20); // generous: a hung run fails the bench, it never waits forever
  const dataDir = path.join(o.varDir, 'data');
  const logDir = path.join(o.varDir, 'log');
  const genDir = path.join(o.varDir, 'gen');
  const env: ServiceEnv = {
    temporalAddress: o.servers.temporalAddress,
    mongoUri: o.servers.mongoUri,
    dataDir,
    taskQueue: `bench-${randomBytes(4).toString('hex')}`,
    pageSize: o.pageSize,
  };
  const suffix = randomBytes(3).toString('hex');
  const tenant = `bench-${suffix}`;
  const crashTenant = `bench-crash-${suffix}`;
  // Accounts go to a container of this bench's own, so its directory counts see only its entries.
  const peopleDn = `ou=bench-${suffix},${o.servers.ldap.suffix}`;
  const xml = readFileSync(path.join(projectRoot(), 'bench', 'dataset.xml'), 'utf8').replaceAll('{{LDAP_URL}}', o.servers.ldap.url).replaceAll('{{PEOPLE_DN}}', peopleDn);
  const wanted = new Set(o.scenarios);
  // Scenarios 2-4 work on what scenario 1 imported; scenario 6 reads the accounts scenario 4 provisioned.
  if (wanted.has('directory')) wanted.add('provisioning');
  if (wanted.has('reconciliation') || wanted.has('changed') || wanted.has('provisioning')) wanted.add('import');
  const order = SCENARIOS.filter((s) => wanted.has(s));

  const baseCsv = path.join(genDir, 'hr-base.csv');
  const changedCsv = path.join(genDir, 'hr-changed.csv');
  const t0 = Date.now();
  await writeBaseCsv(baseCsv, o.n);
  if (wanted.has('changed')) await writeChangedCsv(changedCsv, o.n);
  log(`generated data for N=${o.n} in ${round((Date.now() - t0) / 1000)} s`);
  const place = (t: string, src: string) => {
    mkdirSync(path.join(dataDir, t), { recursive: true });
    copyFileSync(src, path.join(dataDir, t, 'hr.csv'));
  };

  const mongo = new MongoClient(o.servers.mongoUri);
  const results: ScenarioResult[] = [];
  const summary = (): BenchResult => ({ n: o.n, pageSize: o.pageSize, date: new Date().toISOString(), machine: o.machine ?? machineInfo(null), scenarios: results });
  let api: (Child & { url: string }) | null = null;
  const rest = new Rest(() => api!.url);

  /** Starts fresh processes, runs the body, stops them (worker gracefully, so it writes its profile). */
  async function measured(id: ScenarioId, body: (ctx: { worker: Child; sampler: RssSampler; cpu: CpuMeter; replaceWorker: (w: Child) => void }) => Promise<Omit<ScenarioResult, 'id' | 'title' | 'available'>>): Promise<ScenarioResult> {
    const profDir = o.profile ? path.join(o.varDir, 'profiles', id) : undefined;
    api = await startApi(env, logDir);
    let worker: Child;
    try {
      worker = await startWorker(env, logDir, { cpuProfDir: profDir });
    } catch (e) {
      await api.proc.stop();
      throw e;
    }
    const sampler = new RssSampler();
    const cpu = new CpuMeter();
    for (const [name, pid] of [['worker', worker.pid], ['api', api.pid], ...Object.entries(o.servers.pids)] as Array<[string, number]>) {
      sampler.track(name, pid);
      cpu.track(name, pid);
    }
    sampler.start();
    const loads: number[] = [];
    const loadTimer = setInterval(() => loads.push(os.loadavg()[0]!), 5000);
    try {
      const r = await body({ worker, sampler, cpu, replaceWorker: (w) => (worker = w) });
      clearInterval(loadTimer);
      loads.push(os.loadavg()[0]!);
      const peaks = sampler.stop();
      const cpuSeconds = cpu.stop();
      const profileFiles = await stopWorker(worker, profDir);
      const workerProfileMs = profileFiles.length ? sumProfiles(profileFiles.map(summarizeProfile)) : null;
      return {
        id,
        title: SCENARIO_TITLES[id],
        available: true,
        ...r,
        peakRssMiB: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, mib(v)])),
        cpuSeconds,
        workerProfileMs,
        breakdown: breakdown(cpuSeconds, workerProfileMs),
        loadAverage: { mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2), max: round(Math.max(...loads), 2) },
      };
    } finally {
      clearInterval(loadTimer);
      sampler.stop();
      await worker.proc.stop('SIGTERM', 60_000);
      await api.proc.stop();
    }
  }

  async function run(label: string, t: string, kind: TaskKind, def: string, watch?: (p: RunProgress, path: string) => Promise<void>): Promise<{ m: RunMeasure; p: RunProgress }> {
    const launchedAt = Date.now();
    const p = await rest.launch(t, kind, def);
    const start = performance.now();
    let watching = Promise.resolve();
    const done = await rest.waitFor(p, {
      pollMs,
      timeoutMs,
      onPoll: (pr) => {
        if (watch) watching = watching.then(() => watch(pr, p));
      },
    });
    await watching;
    const wall = (performance.now() - start) / 1000;
    const entries = done.numberOfProcessedEntries;
    const decidedAhead = done.statistics.pagesDecidedAhead ?? 0;
    log(`  ${label}: ${entries} entries in ${round(wall)} s (${Math.round(entries / wall)}/s), ${done.outcomeStatus}; ${decidedAhead} pages decided ahead`);
    const phases = await runPhases(o.servers.temporalAddress, 'default', runWorkflowId(kind === 'sync-tasks' ? 'SYNC' : 'PROVISIONING', t, def), launchedAt);
    log(`  phases: ${Object.entries(phases.activities).map(([a, x]) => `${a} ${x.count}x ${x.seconds} s`).join(', ')}; between activities ${phases.betweenActivitiesSeconds} s`);
    let sampleErrors: string[] | undefined;
    if (done.numberOfErrors > 0) {
      const details = (await rest.progress(`${p}?option=expandErrorDetails:true`))?.errorDetails ?? [];
      sampleErrors = details.slice(0, 3).map((e) => `${e.label}: ${e.description}`);
      log(`  ${done.numberOfErrors} errors, e.g. ${JSON.stringify(sampleErrors)}`);
    }
    return {
      p: done,
      m: {
        label,
        entries,
        wallSeconds: round(wall, 2),
        accountsPerSecond: Math.round(entries / wall),
        serverSeconds: round(done.processingTimeMillis / 1000, 2),
        outcome: done.outcomeStatus,
        situations: done.statistics.situations,
        actions: done.statistics.actions,
        errors: done.numberOfErrors,
        ...(sampleErrors ? { sampleErrors } : {}),
        phases,
        pagesDecidedAhead: decidedAhead,
      },
    };
  }

  const syncResult = (m: RunMeasure, expected: { situations: Record<string, number>; actions: Record<string, number> }) => ({
    runs: [m],
    expected,
    countsOk: m.outcome === 'SUCCESS' && m.errors === 0 && eq(m.situations, expected.situations) && eq(m.actions, expected.actions),
  });

  const n = o.n;
  let importWall: number | null = null;
  try {
    await mongo.connect();
    for (const id of order) {
      log(`${SCENARIO_TITLES[id]}`);
      if (id === 'import') {
        place(tenant, baseCsv);
        api = null;
        const r = await measured(id, async () => {
          await rest.importDataset(tenant, xml);
          const { m } = await run('import', tenant, 'sync-tasks', 'bench-import');
          importWall = m.wallSeconds;
          return syncResult(m, { situations: { UNMATCHED: n }, actions: { ADD_IDM_OBJECT: n } });
        });
        results.push(r);
      } else if (id === 'reconciliation') {
        results.push(await measured(id, async () => {
          const { m } = await run('reconciliation', tenant, 'sync-tasks', 'bench-reconciliation');
          return syncResult(m, { situations: { LINKED: n }, actions: { SYNCHRONIZE_IDM_OBJECT: n } });
        }));
      } else if (id === 'changed') {
        place(tenant, changedCsv);
        const c = changedCounts(n);
        results.push(await measured(id, async () => {
          const { m } = await run('reconciliation (changed)', tenant, 'sync-tasks', 'bench-reconciliation');
          const r = syncResult(m, {
            situations: { LINKED: c.kept, UNMATCHED: c.added, DELETED: c.removed },
            actions: { SYNCHRONIZE_IDM_OBJECT: c.kept, ADD_IDM_OBJECT: c.added, INACTIVATE_IDM_OBJECT: c.removed },
          });
          return { ...r, extra: { modified: c.modified, removed: c.removed, added: c.added } };
        }));
      } else if (id === 'provisioning') {
        if (!provisioningAvailable()) {
          log('  not available: the provisioning run (provisioningRunWorkflow) is not in this build yet');
          results.push({ id, title: SCENARIO_TITLES[id], available: false, note: 'not available: provisioningRunWorkflow is not in this build', runs: [] });
          o.onScenario?.(summary());
          continue;
        }
        results.push(await measured(id, () => provisioningScenario()));
      } else if (id === 'crash') {
        place(crashTenant, baseCsv);
        results.push(await measured(id, (ctx) => crashScenario(ctx)));
      } else if (id === 'directory') {
        results.push(await measured(id, () => directoryScenario()));
      }
      o.onScenario?.(summary());
    }
  } finally {
    await mongo.close();
  }
  return summary();

  async function provisioningScenario(): Promise<Omit<ScenarioResult, 'id' | 'title' | 'available'>> {
    const ldap = o.servers.ldap;
    const people = peopleDn;
    await ensureContainers(ldap, people);
    const first = await run('provisioning (first)', tenant, 'prov-tasks', 'bench-provisioning');
    const entriesAfterFirst = await countEntries(ldap, people, '(objectClass=inetOrgPerson)');
    await new Promise((r) => setTimeout(r, 1100)); // modifyTimestamp has a one-second resolution
    const since = generalizedTime(new Date());
    const second = await run('provisioning (no change)', tenant, 'prov-tasks', 'bench-provisioning');
    const written = await countEntries(ldap, people, `(modifyTimestamp>=${since})`);
    const entriesAfterSecond = await countEntries(ldap, people, '(objectClass=inetOrgPerson)');
    const speedup = round(first.m.wallSeconds / second.m.wallSeconds, 1);
    log(`  directory: ${entriesAfterFirst} entries after the first run; second run wrote ${written} entries (created or modified), ${entriesAfterFirst - entriesAfterSecond} deleted; ${speedup}x faster`);
    return {
      runs: [first.m, second.m],
      countsOk: first.m.outcome === 'SUCCESS' && second.m.outcome === 'SUCCESS' && written === 0 && (second.m.actions.DIRECTORY_WRITES ?? 0) === 0 && entriesAfterSecond === entriesAfterFirst && entriesAfterFirst > 0,
      extra: {
        directoryEntries: entriesAfterFirst,
        secondRunEntriesWritten: written,
        secondRunEntriesDeleted: entriesAfterFirst - entriesAfterSecond,
        // the service's own count of directory operations (statistics.actions.DIRECTORY_WRITES)
        firstRunDirectoryWrites: first.m.actions.DIRECTORY_WRITES ?? 0,
        secondRunDirectoryWrites: second.m.actions.DIRECTORY_WRITES ?? 0,
        speedup,
      },
    };
  }

  /**
   * Every provisioned entry is LINKED to its owner; its inbound mapping (email from mail) finds nothing to change.
   * Twice: the first inbound run over accounts that provisioning created records each one's mapping basis (a shadow
   * write each, docs/decisions.md "The inbound mapping basis"); the second is the steady state.
   */
  async function directoryScenario(): Promise<Omit<ScenarioResult, 'id' | 'title' | 'available'>> {
    const entries = await countEntries(o.servers.ldap, peopleDn, '(objectClass=inetOrgPerson)');
    const expected = { situations: { LINKED: entries }, actions: { SYNCHRONIZE_IDM_OBJECT: entries } };
    const first = syncResult((await run('directory reconciliation (first)', tenant, 'sync-tasks', 'bench-directory-reconciliation')).m, expected);
    const again = syncResult((await run('directory reconciliation (again)', tenant, 'sync-tasks', 'bench-directory-reconciliation')).m, expected);
    const runs = [...first.runs, ...again.runs];
    return { runs, expected, countsOk: first.countsOk && again.countsOk && entries > 0 && runs.every((m) => m.entries === entries), extra: { directoryEntries: entries } };
  }

  async function crashScenario(ctx: { worker: Child; sampler: RssSampler; cpu: CpuMeter; replaceWorker: (w: Child) => void }): Promise<Omit<ScenarioResult, 'id' | 'title' | 'available'>> {
    await rest.importDataset(crashTenant, xml);
    const db = mongo.db(tenantDbName('idmsync', crashTenant));
    const crash: { killed: { processed: number; journaled: Record<string, boolean>; restartSeconds: number; at: number } | null; resumedAfter: number | null; pageSeconds: number | null } = { killed: null, resumedAfter: null, pageSeconds: null };
    const started = performance.now();
    const { m, p } = await run('import with a crash', crashTenant, 'sync-tasks', 'bench-import', async (pr, runPath) => {
      if (crash.killed) {
        // Recovery ends when progress moves past the point of the kill (the next page completed).
        if (crash.resumedAfter === null && pr.numberOfProcessedEntries > crash.killed.processed) crash.resumedAfter = round((performance.now() - crash.killed.at) / 1000, 2);
        return;
      }
      if (pr.progressStatus === 'COMPLETED' || pr.numberOfProcessedEntries < n / 2) return;
      // A page just completed: wait half a page's time, so the kill lands in the middle of the next one.
      const pageSeconds = (performance.now() - started) / 1000 / Math.max(1, pr.numberOfProcessedEntries / o.pageSize);
      await new Promise((r) => setTimeout(r, (pageSeconds * 1000) / 2));
      const at = performance.now();
      ctx.sampler.sample();
      ctx.cpu.close('worker');
      ctx.worker.proc.child.kill('SIGKILL');
      await new Promise((r) => ctx.worker.proc.child.once('exit', r));
      const processed = (await rest.progress(runPath))?.numberOfProcessedEntries ?? pr.numberOfProcessedEntries;
      const runId = runPath.slice(runPath.lastIndexOf('/') + 1);
      // Which pages around the kill had their plan saved: a saved one is replayed on retry, not decided again.
      const done = Math.floor(processed / o.pageSize);
      const journaled: Record<string, boolean> = {};
      for (const k of [done - 1, done, done + 1].filter((x) => x >= 0)) {
        journaled[`a${k}`] = (await db.collection<{ _id: string }>(COLLECTIONS.pageJournal).findOne({ _id: `${runId}:a${k}` }, { projection: { _id: 1 } })) !== null;
      }
      await ctx.worker.proc.stop('SIGKILL', 0);
      const w = await startWorker(env, logDir, { cpuProfDir: o.profile ? path.join(o.varDir, 'profiles', 'crash') : undefined });
      ctx.replaceWorker(w);
      ctx.worker = w;
      ctx.sampler.track('worker', w.pid);
      ctx.cpu.track('worker', w.pid);
      crash.killed = { processed, journaled, restartSeconds: round((performance.now() - at) / 1000, 2), at };
      crash.pageSeconds = round(pageSeconds, 2);
      log(`  worker killed at ${processed}/${n} processed; new worker polling after ${crash.killed.restartSeconds} s; journal around the kill: ${JSON.stringify(journaled)}`);
    });
    const k = crash.killed;
    const pagesRedone = p.statistics.pagesRetried ?? null;
    const [objects, shadows] = await Promise.all([db.collection(COLLECTIONS.idmObjects).estimatedDocumentCount(), db.collection(COLLECTIONS.shadows).estimatedDocumentCount()]);
    const r = syncResult(m, { situations: { UNMATCHED: n }, actions: { ADD_IDM_OBJECT: n } });
    const extraSeconds = importWall !== null ? round(m.wallSeconds - importWall, 2) : null;
    // The cost of the crash: kill to the next completed page, minus the one page that would have taken anyway.
    const recoverySeconds = crash.resumedAfter !== null && crash.pageSeconds !== null ? round(crash.resumedAfter - crash.pageSeconds, 2) : null;
    log(`  pages redone: ${pagesRedone ?? 'not reported by this build'}; progress resumed ${crash.resumedAfter ?? '?'} s after the kill (a page takes ${crash.pageSeconds ?? '?'} s): ~${recoverySeconds ?? '?'} s lost; wall vs the uninterrupted import: ${extraSeconds ?? 'n/a'} s; objects ${objects}, shadows ${shadows}`);
    return {
      ...r,
      countsOk: r.countsOk && objects === n && shadows === n && k !== null,
      extra: {
        killedAtProcessed: k?.processed ?? null,
        workerRestartSeconds: k?.restartSeconds ?? null,
        journalAtKill: k?.journaled ?? null,
        pagesRedone,
        entriesRedoneAtMost: pagesRedone === null ? null : pagesRedone * o.pageSize,
        resumedSecondsAfterKill: crash.resumedAfter,
        pageSeconds: crash.pageSeconds,
        extraSeconds: recoverySeconds,
        extraSecondsVsImport: extraSeconds,
        idmObjects: objects,
        shadows,
      },
    };
  }
}

/**
 * Where the CPU went. The worker's CPU seconds are split by its profile (main thread, sampled); what the profile
 * does not see (the Temporal core's Rust threads, GC helpers, libuv) stays in "other". FerretDB counts as store,
 * the Temporal server as temporal, slapd as connector.
 */
export function breakdown(cpu: Record<string, number>, prof: Record<Category, number> | null): Breakdown | null {
  if (!prof) return null;
  const busy = (Object.keys(prof) as Category[]).filter((k) => k !== 'idle').reduce((s, k) => s + prof[k], 0) / 1000;
  const worker = cpu.worker ?? 0;
  const share = (ms: number) => (busy > 0 ? (Math.min(worker, busy) * ms) / 1000 / busy : 0);
  const unseen = Math.max(0, worker - busy);
  const secs = {
    connector: share(prof.connector) + (cpu.slapd ?? 0),
    store: share(prof.store) + (cpu.ferretdb ?? 0),
    scripts: share(prof.scripts),
    engine: share(prof.engine) + share(prof.activities),
    temporal: share(prof.temporal) + (cpu.temporal ?? 0),
    other: share(prof.gc) + share(prof.other) + unseen + (cpu.api ?? 0),
  };
  const total = Object.values(secs).reduce((a, b) => a + b, 0) || 1;
  const cpuSeconds = Object.fromEntries(Object.entries(secs).map(([k, v]) => [k, round(v)])) as Breakdown['cpuSeconds'];
  const percent = Object.fromEntries(Object.entries(secs).map(([k, v]) => [k, Math.round((v * 100) / total)])) as Breakdown['percent'];
  return { cpuSeconds, percent };
}
