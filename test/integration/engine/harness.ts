import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db, type Document } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import type { Application } from '../../../src/config/schemas/application';
import { csvPropertiesSchema } from '../../../src/config/connector-properties';
import { CSV_OBJECT_CLASS_ID } from '../../../src/config/enums';
import type { Connector, ReadItem } from '../../../src/connectors/types';
import { createCsvConnector } from '../../../src/connectors/csv';
import { compileApplication, keyedAttributes } from '../../../src/engine/compiled-application';
import { decideAccountsPage, decideDeletedPage, type InboundDeps, type InboundRun } from '../../../src/engine/inbound/page';
import type { SyncTaskType } from '../../../src/engine/inbound/decide';
import { idmObjectFinder } from '../../../src/engine/object-finder';
import { addCounters, countOutcomes, emptyCounters, type Counters, type EntryOutcome } from '../../../src/engine/outcome';
import { COLLECTIONS } from '../../../src/store/collections';
import { IdmObjectStore } from '../../../src/store/idm-objects';
import { TenantDbs } from '../../../src/store/mongo';
import { PageJournal, type PagePlan } from '../../../src/store/page-journal';
import { SeenMarks, type SeenMarkDoc } from '../../../src/store/seen-marks';
import { ShadowStore } from '../../../src/store/shadows';
import { startCounting, unseenLiveShadows } from '../../../src/store/seen-count';
import { createScriptEngine, type ScriptEngine } from '../../../src/scripting';

/**
 * Runs the inbound engine the way the sync activity does: a page is decided, its plan saved in the page journal,
 * then applied; a retried page finds its plan in the journal and re-applies it. One tenant database per test file.
 */
export interface EngineEnv {
  tenant: string;
  dbs: TenantDbs;
  db: Db;
  idm: IdmObjectStore;
  shadows: ShadowStore;
  /** the page journal of a run */
  journal(runId: string): PageJournal;
  scripts: ScriptEngine;
  /** a directory for the test's CSV files (the CSV connector's dataDir) */
  dataDir: string;
  close(): Promise<void>;
}

export async function openEngineEnv(): Promise<EngineEnv> {
  const client = new MongoClient(testEnv().mongoUri);
  const dbs = new TenantDbs(client, 'idmsync');
  const tenant = uniqueTenant('eng');
  const db = dbs.db(tenant);
  const scripts = await createScriptEngine();
  return {
    tenant,
    dbs,
    db,
    idm: new IdmObjectStore(db),
    shadows: new ShadowStore(db),
    journal: (runId) => new PageJournal(db, runId),
    scripts,
    dataDir: await mkdtemp(join(tmpdir(), 'engine-csv-')),
    async close() {
      scripts.dispose();
      await client.close();
    },
  };
}

/** Empties the repository between tests (the configuration of each test is its own). */
export async function resetRepository(env: EngineEnv): Promise<void> {
  for (const c of [COLLECTIONS.idmObjects, COLLECTIONS.shadows, COLLECTIONS.correlationKeys, COLLECTIONS.pageJournal, COLLECTIONS.meta, COLLECTIONS.shadowDeaths, COLLECTIONS.shadowDeathsInFlight])
    await env.db.collection(c).deleteMany({});
}

export interface RunContext {
  run: InboundRun;
  deps: InboundDeps;
  env: EngineEnv;
}

let runCounter = 0;

/** A run of a task on an application, as a worker prepares it: rules compiled once, correlation keys of its attributes ensured first. */
export async function startRun(env: EngineEnv, app: Application, taskType: SyncTaskType, connector: Connector | null = null, objectClassId = CSV_OBJECT_CLASS_ID): Promise<RunContext> {
  const compiled = compileApplication(app, env.scripts);
  const tracked = await env.idm.keys.ensureTracked(keyedAttributes(compiled.objectSyncs.map((os) => os.def)));
  const run: InboundRun = { runId: `run-${++runCounter}-${Date.now()}`, taskType, objectClassId, compiled };
  if (taskType === 'RECONCILIATION') await startCounting(env.db, run.runId, app.id);
  return { run, deps: { idm: env.idm, shadows: env.shadows, seen: new SeenMarks(env.db, run.runId), connector, tracked, objectFinder: idmObjectFinder(env.idm, tracked), purity: env.scripts }, env };
}

/** One page end to end: the journaled plan if the page was decided before, else decide and journal; then apply. */
export async function runPage(ctx: RunContext, pageKey: string, items: ReadItem[]): Promise<PagePlan<EntryOutcome>> {
  const key = `${ctx.run.runId}:${pageKey}`;
  let plan = await ctx.env.journal(ctx.run.runId).find<EntryOutcome>(key);
  if (!plan) {
    plan = await decideAccountsPage(ctx.run, ctx.deps, items);
    await ctx.env.journal(ctx.run.runId).save(key, plan);
  }
  await ctx.env.journal(ctx.run.runId).apply(plan, ctx.deps.seen);
  return plan;
}

async function runDeletedPage(ctx: RunContext, pageKey: string, shadowIds: string[]): Promise<PagePlan<EntryOutcome>> {
  const key = `${ctx.run.runId}:${pageKey}`;
  let plan = await ctx.env.journal(ctx.run.runId).find<EntryOutcome>(key);
  if (!plan) {
    plan = await decideDeletedPage(ctx.run, ctx.deps, shadowIds);
    await ctx.env.journal(ctx.run.runId).save(key, plan);
  }
  await ctx.env.journal(ctx.run.runId).apply(plan);
  return plan;
}

export interface RunResult {
  accounts: EntryOutcome[];
  deleted: EntryOutcome[];
  counters: Counters;
  /** the run's seen marks after its pages of accounts (their own or carried by the shadow), by shadow id */
  seen: Map<string, SeenMarkDoc>;
  /** RECONCILIATION: whether the deleted detection proved by counting that no live shadow was unseen (seen-count.ts) */
  counted?: boolean;
}

/**
 * A whole run: every page of the connector's object class, then (RECONCILIATION) the deleted detection over the
 * shadows not seen by the run, streamed and decided in pages too.
 */
export async function runTask(ctx: RunContext, connector: Connector, pageSize = 100): Promise<RunResult> {
  const result: RunResult = { accounts: [], deleted: [], counters: emptyCounters(), seen: new Map() };
  let position: string | null = null;
  let n = 0;
  do {
    const page = await connector.readPage(ctx.run.objectClassId, position, pageSize);
    const plan = await runPage(ctx, `accounts-${n++}`, page.items);
    result.accounts.push(...plan.outcomes);
    result.counters = addCounters(result.counters, countOutcomes(plan.outcomes));
    position = page.next;
  } while (position !== null);
  result.seen = await ctx.deps.seen.marksOf(await ctx.env.shadows.col.find({}, { projection: { _id: 1, seenBy: 1 } }).toArray());
  if (ctx.run.taskType !== 'RECONCILIATION') return result;

  const detection = await unseenLiveShadows(ctx.env.db, ctx.deps, ctx.run.compiled.app.id, ctx.run.objectClassId);
  result.counted = detection.counted;
  let ids: string[] = [];
  const flush = async () => {
    const plan = await runDeletedPage(ctx, `deleted-${n++}`, ids);
    result.deleted.push(...plan.outcomes);
    result.counters = addCounters(result.counters, countOutcomes(plan.outcomes));
    ids = [];
  };
  for await (const doc of detection.unseen) {
    ids.push(doc._id);
    if (ids.length >= pageSize) await flush();
  }
  if (ids.length) await flush();
  return result;
}

/** The engine environment of one test file, and whole runs over CSV texts in it. */
export interface EngineTestFile {
  /** open from the file's beforeAll on; its repository is emptied before each test */
  readonly env: EngineEnv;
  /** A whole run of a task on `app` over a CSV text (a file of its own in the test's data directory). */
  sync(app: Application, content: string, o?: { taskType?: SyncTaskType; pageSize?: number; csvProps?: Record<string, unknown> }): Promise<RunResult>;
}

/** Opens the environment for the calling test file (its own hooks: once per file, the repository emptied per test). */
export function engineTestFile(): EngineTestFile {
  let opened: EngineEnv | undefined;
  let files = 0;
  beforeAll(async () => {
    opened = await openEngineEnv();
  });
  afterAll(async () => opened?.close());
  beforeEach(async () => resetRepository(opened!));
  const env = (): EngineEnv => {
    if (!opened) throw new Error('the engine environment opens in beforeAll: use it inside a test');
    return opened;
  };
  return {
    get env() {
      return env();
    },
    async sync(app, content, o = {}) {
      const ctx = await startRun(env(), app, o.taskType ?? 'RECONCILIATION');
      ctx.deps.connector = await csvConnector(env(), `f${++files}.csv`, content, o.csvProps);
      return runTask(ctx, ctx.deps.connector, o.pageSize);
    },
  };
}

/** A CSV file in the test's data directory and a connector reading it (uid column `id`, name column `login`). */
export async function csvConnector(env: EngineEnv, file: string, content: string, props: Record<string, unknown> = {}): Promise<Connector> {
  await writeFile(join(env.dataDir, file), content);
  return createCsvConnector(csvPropertiesSchema.parse({ filePath: file, uidAttribute: 'id', nameAttribute: 'login', ...props }), { dataDir: env.dataDir });
}

/** Every item of a CSV file, as one page. */
export async function readAll(connector: Connector): Promise<ReadItem[]> {
  const page = await connector.readPage(CSV_OBJECT_CLASS_ID, null, 10_000);
  return page.items;
}

/** Full dumps of the three collections the engine writes, sorted by `_id`, for before/after comparisons. */
export interface Dump {
  idmObjects: Document[];
  shadows: Document[];
  correlationKeys: Document[];
}

export async function dump(db: Db): Promise<Dump> {
  const all = async (c: string) => (await db.collection(c).find({}).toArray()).sort((a, b) => (String(a._id) < String(b._id) ? -1 : 1));
  const keys = (await all(COLLECTIONS.correlationKeys)).map((d) => ({ ...d, ids: [...(d.ids as string[])].sort() })).filter((d) => d.ids.length > 0);
  return { idmObjects: await all(COLLECTIONS.idmObjects), shadows: await all(COLLECTIONS.shadows), correlationKeys: keys };
}
