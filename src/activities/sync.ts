import { sha256 } from '../sha256';
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { Db } from 'mongodb';
import type { SynchronizationTaskDefinition, ConnectorDefinition } from '../config/schemas';
import { loadConnectorDefinitionWithSecrets } from '../config/secrets';
import { openConnector } from '../connectors/registry';
import type { Connector, Page, Position } from '../connectors/types';
import { AppError } from '../errors';
import { decideAccountsPage, decideDeletedPage, type InboundDeps, type InboundRun } from '../engine/inbound/page';
import { countOutcomes, type Counters } from '../engine/outcome';
import { IdmObjectStore } from '../store/idm-objects';
import { PageJournal, writesOf, type PagePlan } from '../store/page-journal';
import { ReadRecorder, type WriteSet } from '../store/read-recorder';
import { sourceReader } from '../connectors/source-reader';
import { PagesAhead } from './decide-ahead';
import { logger } from '../log';
import { idmObjectFinder } from '../engine/object-finder';
import { keyedAttributes } from '../engine/compiled-application';
import { SeenMarks } from '../store/seen-marks';
import { SHADOW_EPOCHS, ShadowEpochs } from '../store/shadow-epochs';
import { startCounting, unseenLiveShadows } from '../store/seen-count';
import { ShadowStore } from '../store/shadows';
import { TaskRunStore } from '../store/task-runs';
import type { EntryOutcome } from '../engine/outcome';
import type { ActivityDeps } from './deps';
import { requireApplication, requireResource, type WorkerRuntime } from './runtime';
import { heartbeating } from './keep-alive';
import { classified } from './run-failure';
import { RunProgress } from './run-progress';
import { writeSnapshot, readSnapshotPage } from '../store/snapshots';
import { isStagedPosition, StagedSource, stages } from '../store/staged-source';

export interface SyncRunRef {
  tenant: string;
  taskDefinitionId: string;
  runId: string;
}

export interface PreparedSyncRun {
  taskType: 'IMPORT' | 'RECONCILIATION';
  total: number;
  pageSize: number;
}

export interface PageResult {
  counters: Counters;
  next: Position | null;
}

type JournaledPlan = PagePlan<EntryOutcome> & { next?: Position | null };

interface RunSetup {
  db: Db;
  def: SynchronizationTaskDefinition & { version: number };
  /** what a page decided ahead must have been decided with: the versions of the configuration it read */
  fingerprint: string;
  run: InboundRun;
  deps: InboundDeps;
  connector: Connector;
}

/** Activities of a synchronization run: prepare, pages of accounts, deleted detection. All idempotent. */
export function syncActivities(deps: ActivityDeps, runtime: WorkerRuntime) {
  const ahead = new PagesAhead<JournaledPlan>();
  const runKey = (ref: SyncRunRef) => `${ref.tenant}/${ref.runId}`;

  /**
   * Loads what a run's activity needs. With `readOnly`, the run's data (objects, shadows, keys, marks, staged pages)
   * is read through that recording view and the connector only reads pages: a page decided ahead (decide-ahead.ts).
   */
  async function setup(ref: SyncRunRef, readOnly?: ReadRecorder): Promise<RunSetup> {
    const db = deps.dbs.db(ref.tenant);
    const def = await requireResource<SynchronizationTaskDefinition>(db, 'synchronizationTaskDefinition', ref.taskDefinitionId, 'SynchronizationTaskDefinition');
    const app = await requireApplication(db, def.applicationId);
    if (!app.synchronizationDefinition)
      throw new AppError('CONFIGURATION_ERROR', `Application ${app.id} has no synchronizationDefinition`, { applicationId: app.id }, 'Add a synchronizationDefinition to the application');
    const connectorDef: ConnectorDefinition | undefined = await loadConnectorDefinitionWithSecrets(db, app.connectorId, deps.settings);
    if (!connectorDef) throw new AppError('CONFIGURATION_ERROR', `ConnectorDefinition ${app.connectorId} does not exist`, { connectorId: app.connectorId });
    const compiled = await runtime.compiledApplication(ref.tenant, app);
    const tracked = await new IdmObjectStore(db).keys.tracked();
    const opened = openConnector(connectorDef, { dataDir: deps.settings.dataDirAbs, tenant: ref.tenant });
    const connector = readOnly ? sourceReader(opened, (what) => readOnly.refuse(what)) : opened;
    const data = readOnly?.db ?? db;
    const idm = new IdmObjectStore(data);
    return {
      db: data,
      def,
      connector,
      fingerprint: sha256(JSON.stringify([def.version, app.version, connectorDef, tracked]), 'hex'),
      run: { runId: ref.runId, taskType: def.taskType, objectClassId: def.objectClassId, compiled },
      deps: {
        idm,
        shadows: new ShadowStore(data),
        seen: new SeenMarks(data, ref.runId),
        connector,
        tracked,
        objectFinder: idmObjectFinder(idm, tracked),
        purity: await runtime.scriptEngine(),
      },
    };
  }

  async function withSetup<T>(ref: SyncRunRef, fn: (s: RunSetup) => Promise<T>): Promise<T> {
    return classified(() => heartbeating(async () => {
      const s = await setup(ref);
      try {
        return await fn(s);
      } finally {
        await s.connector.close().catch(() => undefined);
      }
    }));
  }

  /**
   * Journal first, then apply: a page retried after a crash finds its saved plan, re-applies it (idempotent) and
   * returns the saved outcomes and next position, without reading or deciding again.
   */
  async function journaled(s: RunSetup, ref: SyncRunRef, pageKey: string, decide: () => Promise<JournaledPlan>, onJournaled?: (plan: JournaledPlan) => void) {
    const journal = new PageJournal(s.db, ref.runId);
    const key = `${ref.runId}:${pageKey}`;
    let plan = await journal.find<EntryOutcome>(key) as JournaledPlan | null;
    if (!plan) {
      plan = await decide();
      heartbeat();
      await journal.save(key, plan);
    }
    onJournaled?.(plan);
    await journal.apply(plan, s.deps.seen);
    if (plan.shadowUpserts.length > 0) await new ShadowEpochs(s.db).raise(s.run.compiled.app.id);
    const counters = countOutcomes(plan.outcomes);
    const errors = plan.outcomes.flatMap((o) => (o.error ? [o.error] : []));
    const errorPage = await new TaskRunStore(s.db).saveErrorPage(ref.runId, pageKey, errors);
    return { counters, next: plan.next ?? null, errorPage };
  }

  /**
   * A page of the run's accounts: from its staged copy when the connector stages (every page of a run prepared with
   * staging), otherwise from the connector at the position (CSV; and LDAP runs prepared before staging existed).
   */
  async function readAccounts(s: RunSetup, ref: SyncRunRef & { position: Position | null }): Promise<Page> {
    const staged = new StagedSource(s.db, ref.runId);
    if (isStagedPosition(ref.position) || (ref.position === null && stages(s.connector) && (await staged.meta()))) return staged.readPage(ref.position);
    return s.connector.readPage(s.def.objectClassId, ref.position, deps.settings.PAGE_SIZE);
  }

  /** Everything `journaled` writes for `plan` that a decision could read: the plan's documents and the application's shadow epoch. */
  function pageWrites(s: RunSetup, ref: SyncRunRef, plan: JournaledPlan): WriteSet {
    const writes = writesOf(plan, ref.runId);
    if (plan.shadowUpserts.length > 0) writes.set(SHADOW_EPOCHS, new Set([s.run.compiled.app.id]));
    return writes;
  }

  /** Starts deciding page `pageNo`, read from `position`, ahead of its turn (decide-ahead.ts), unless it already is. */
  function decideAhead(ref: SyncRunRef, pageNo: number, position: Position | null): void {
    if (deps.settings.PAGE_DECIDE_AHEAD === 'off' || position === null || ahead.has(runKey(ref), pageNo, position)) return;
    ahead.start(runKey(ref), pageNo, position, async () => {
      const recorder = new ReadRecorder(deps.dbs.db(ref.tenant));
      const s = await setup(ref, recorder);
      try {
        const page = await readAccounts(s, { ...ref, position });
        const plan: JournaledPlan = { ...(await decideAccountsPage(s.run, s.deps, page.items)), next: page.next };
        return { plan, reads: recorder.reads, violation: recorder.violation, fingerprint: s.fingerprint };
      } finally {
        await s.connector.close().catch(() => undefined);
      }
    });
  }

  /** The plan of this page decided ahead, if it is still right; otherwise null, and the page is decided now. */
  async function decidedAhead(s: RunSetup, ref: SyncRunRef & { pageNo: number; position: Position | null }): Promise<JournaledPlan | null> {
    if (ref.position === null) return null;
    const taken = await ahead.take(runKey(ref), ref.pageNo, ref.position, s.fingerprint);
    if (taken.verdict !== 'none') logger.debug({ runId: ref.runId, pageNo: ref.pageNo, verdict: taken.verdict, where: taken.where }, 'page decided ahead');
    return taken.plan;
  }

  return {
    /** Loads and checks the configuration, tests the source and counts its accounts (the run's total; staged if the connector stages). */
    async prepareSyncRun(ref: SyncRunRef): Promise<PreparedSyncRun> {
      return withSetup(ref, async (s) => {
        // Backfill keys for an attribute a correlation starts using (the engine refuses to correlate on untracked ones).
        await s.deps.idm.keys.ensureTracked(keyedAttributes(s.run.compiled.objectSyncs.map((os) => os.def)));
        heartbeat();
        await s.connector.test();
        if (s.def.taskType === 'RECONCILIATION') await startCounting(s.db, ref.runId, s.run.compiled.app.id);
        const total = stages(s.connector)
          ? (await new StagedSource(s.db, ref.runId).stage(s.connector, s.def.objectClassId, deps.settings.PAGE_SIZE, () => heartbeat())).total
          : await s.connector.count(s.def.objectClassId);
        await new RunProgress(s.db, ref.runId).started(total);
        return { taskType: s.def.taskType, total, pageSize: deps.settings.PAGE_SIZE };
      });
    },

    /**
     * One page of accounts: read from the position, decide, journal, apply, record progress. The next page is
     * decided ahead meanwhile, and this page's plan is taken from there when it is still right (decide-ahead.ts).
     */
    async processSyncPage(ref: SyncRunRef & { pageNo: number; position: Position | null; countersBefore: Counters }): Promise<PageResult> {
      return withSetup(ref, async (s) => {
        heartbeat();
        let usedAhead = false;
        const r = await journaled(
          s,
          ref,
          `a${ref.pageNo}`,
          async () => {
            const plan = await decidedAhead(s, ref);
            if (plan) {
              usedAhead = true;
              return plan;
            }
            const page = await readAccounts(s, ref);
            decideAhead(ref, ref.pageNo + 1, page.next);
            heartbeat();
            return { ...(await decideAccountsPage(s.run, s.deps, page.items)), next: page.next };
          },
          (plan) => {
            // A page decided here started the next one as soon as it was read (a no-op then); a plan from the
            // journal or from ahead starts it now.
            decideAhead(ref, ref.pageNo + 1, plan.next ?? null);
            ahead.previousJournaled(runKey(ref), ref.pageNo + 1, pageWrites(s, ref, plan));
          },
        );
        await new RunProgress(s.db, ref.runId).page(ref.countersBefore, r.counters, r.errorPage, activityInfo().attempt, usedAhead);
        return { counters: r.counters, next: r.next };
      });
    },

    /**
     * Snapshots the ids of the shadows this run did not see (deleted accounts) into pages; returns their number. When
     * counting proves there are none (seen-count.ts), nothing is scanned.
     */
    async snapshotDeleted(ref: SyncRunRef): Promise<{ pages: number; total: number }> {
      return withSetup(ref, async (s) => {
        const { counted, unseen } = await unseenLiveShadows(s.db, s.deps, s.run.compiled.app.id, s.def.objectClassId);
        logger.debug({ runId: ref.runId, counted }, 'deleted detection');
        const r = await writeSnapshot(s.db, `${ref.runId}:deleted`, unseen, deps.settings.PAGE_SIZE, () => heartbeat());
        await new RunProgress(s.db, ref.runId).addToTotal(r.total);
        return r;
      });
    },

    async processDeletedPage(ref: SyncRunRef & { pageNo: number; countersBefore: Counters }): Promise<PageResult> {
      return withSetup(ref, async (s) => {
        const ids = await readSnapshotPage(s.db, `${ref.runId}:deleted`, ref.pageNo);
        const r = await journaled(s, ref, `d${ref.pageNo}`, async () => ({ ...(await decideDeletedPage(s.run, s.deps, ids)), next: null }));
        await new RunProgress(s.db, ref.runId).page(ref.countersBefore, r.counters, r.errorPage, activityInfo().attempt);
        return { counters: r.counters, next: null };
      });
    },
  };
}
