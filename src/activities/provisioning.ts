import { setTimeout as sleep } from 'node:timers/promises';
import { heartbeat } from '@temporalio/activity';
import type { Db, Filter } from 'mongodb';
import { retryPolicySchema } from '../config/connector-properties';
import { applicationProfileSchema, provisioningTaskDefinitionSchema, type ApplicationProfile, type ProvisioningTaskDefinition } from '../config/schemas';
import { loadConnectorDefinitionWithSecrets } from '../config/secrets';
import { countingConnector, type CountingConnector } from '../connectors/counting';
import { openConnector } from '../connectors/registry';
import type { Counters } from '../engine/counters';
import { DIRECTORY_WRITES } from '../engine/outbound/actions';
import { countOutbound, deprovisionOrphansPage, provisionObjectsPage, type OutboundDeps, type OutboundPlan, type OutboundRun } from '../engine/outbound/page';
import { OBJECT_VERSION_FIELDS, objectVersion, targetBasis } from '../engine/outbound/basis';
import { orphanedAccounts } from '../engine/outbound/orphans';
import { scopeSort } from '../engine/outbound/scope';
import { compileProfile, objectClassFor, type ProvisioningTarget } from '../engine/outbound/targets';
import { AppError } from '../errors';
import { AccountLinks } from '../store/account-links';
import { COLLECTIONS } from '../store/collections';
import { ConfigStore } from '../store/config-store';
import type { IdmObjectDoc } from '../store/idm-model';
import { IdmObjectStore } from '../store/idm-objects';
import { PageJournal } from '../store/page-journal';
import { toMongoFilter, validateSearchExpression } from '../store/search-expression';
import { SeenMarks } from '../store/seen-marks';
import { ShadowStore } from '../store/shadows';
import { readSnapshotEntries, readSnapshotPage, writeSnapshot } from '../store/snapshots';
import { ShadowEpochs } from '../store/shadow-epochs';
import { writeSortedSnapshot } from '../store/sorted-snapshot';
import { TaskRunStore } from '../store/task-runs';
import type { ActivityDeps } from './deps';
import { heartbeating } from './keep-alive';
import { classified } from './run-failure';
import { RunProgress } from './run-progress';
import { requireApplication, requireResource, type WorkerRuntime } from './runtime';

export interface ProvisioningRunRef {
  tenant: string;
  taskDefinitionId: string;
  runId: string;
}

/** The run's frozen lists of ids (run snapshots), one page per activity. */
export const scopeSnapshot = (runId: string): string => `${runId}:scope`;
export const orphanSnapshot = (runId: string): string => `${runId}:orphans`;

interface ProvisioningSetup {
  db: Db;
  def: ProvisioningTaskDefinition;
  run: OutboundRun;
  deps: OutboundDeps;
  connectors: CountingConnector[];
}

type JournaledOutboundPlan = OutboundPlan & { directoryWrites: number };

/** Activities of a provisioning run (ARCHITECTURE.md §3): prepare (freeze the scope), pages of objects, orphans. */
export function provisioningActivities(deps: ActivityDeps, runtime: WorkerRuntime) {
  /** Loads the task, its profiles (defaults applied by the schema) and one target per (application, shadow kind). */
  async function setup(ref: ProvisioningRunRef): Promise<ProvisioningSetup> {
    const db = deps.dbs.db(ref.tenant);
    const stored = await requireResource<ProvisioningTaskDefinition>(db, 'provisioningTaskDefinition', ref.taskDefinitionId, 'ProvisioningTaskDefinition');
    const def = provisioningTaskDefinitionSchema.parse(stored);
    const issues = validateSearchExpression(def.scope, 'scope');
    if (issues.length)
      throw new AppError('CONFIGURATION_ERROR', `ProvisioningTaskDefinition ${def.id} has an invalid scope: ${issues[0]!.path}: ${issues[0]!.reason}`, { issues });
    const profiles = (await new ConfigStore(db).list('applicationProfile')).map((p) => applicationProfileSchema.parse(p));
    const applicationIds = def.applicationIds ?? [...new Set(profiles.map((p) => p.applicationId))].sort();
    const scripts = await runtime.scriptEngine();
    const epochs = await new ShadowEpochs(db).get(applicationIds);
    const targets: ProvisioningTarget[] = [];
    const connectors: CountingConnector[] = [];
    try {
      for (const applicationId of applicationIds) {
        const own = profiles.filter((p) => p.applicationId === applicationId);
        if (own.length === 0) continue; // nothing asks for accounts there
        const app = await requireApplication(db, applicationId);
        const connectorDef = await loadConnectorDefinitionWithSecrets(db, app.connectorId, deps.settings);
        if (!connectorDef) throw new AppError('CONFIGURATION_ERROR', `ConnectorDefinition ${app.connectorId} does not exist`, { connectorId: app.connectorId });
        const compiled = await runtime.compiledApplication(ref.tenant, app);
        const connector = countingConnector(openConnector(connectorDef, { dataDir: deps.settings.dataDirAbs, tenant: ref.tenant }));
        connectors.push(connector);
        const retryPolicy = retryPolicySchema.parse(connectorDef.retryPolicy ?? {});
        for (const shadowKind of [...new Set(own.map((p) => p.shadowKind))]) {
          const ofKind = own.filter((p) => p.shadowKind === shadowKind).sort((a, b) => (a.id < b.id ? -1 : 1));
          const objectClassId = objectClassFor(compiled, shadowKind);
          targets.push({
            compiled,
            shadowKind,
            objectClassId,
            profiles: ofKind.map((p: ApplicationProfile) => compileProfile(p, (s, l) => scripts.compile('matching', s, l))),
            connector,
            retryPolicy,
            basis: targetBasis({ compiled, shadowKind, objectClassId, profiles: ofKind, connectorDefinition: connectorDef, shadowEpoch: epochs.get(applicationId) ?? 0 }),
          });
        }
      }
    } catch (e) {
      await closeAll(connectors);
      throw e;
    }
    return {
      db,
      def,
      connectors,
      run: { runId: ref.runId, targets },
      deps: { idm: new IdmObjectStore(db), shadows: new ShadowStore(db), links: new AccountLinks(db), sleep: (ms) => sleep(ms), heartbeat: () => heartbeat(), purity: scripts },
    };
  }

  async function withSetup<T>(ref: ProvisioningRunRef, fn: (s: ProvisioningSetup) => Promise<T>): Promise<T> {
    return classified(() => heartbeating(async () => {
      const s = await setup(ref);
      try {
        return await fn(s);
      } finally {
        await closeAll(s.connectors);
      }
    }));
  }

  /**
   * The page journal (as for synchronization runs): decide — here, including the directory writes, each safe to
   * repeat — then save the plan, then apply it to MongoDB. A page retried after the plan was saved re-applies it and
   * reports the saved outcomes without touching the directory again; one retried before re-runs its writes, which
   * find them done (create adopts, deletes of missing entries and membership no-ops count as done).
   */
  async function journaled(s: ProvisioningSetup, ref: ProvisioningRunRef & { countersBefore: Counters }, pageKey: string, decide: () => Promise<OutboundPlan>) {
    const journal = new PageJournal(s.db, ref.runId);
    const key = `${ref.runId}:${pageKey}`;
    let plan = (await journal.find<never>(key)) as JournaledOutboundPlan | null;
    if (!plan) {
      const before = totalWrites(s.connectors);
      const decided = await decide();
      plan = { ...decided, directoryWrites: totalWrites(s.connectors) - before };
      heartbeat();
      await journal.save(key, plan);
    }
    await journal.apply(plan, new SeenMarks(s.db, ref.runId));
    await new AccountLinks(s.db).apply(plan.linkUpserts, plan.linkDeletes, new Set(plan.newLinkIds ?? []));
    const counters = countOutbound(plan.outcomes);
    counters.actions[DIRECTORY_WRITES] = plan.directoryWrites;
    const errorPage = await new TaskRunStore(s.db).saveErrorPage(ref.runId, pageKey, plan.outcomes.flatMap((o) => o.errors));
    await new RunProgress(s.db, ref.runId).page(ref.countersBefore, counters, errorPage);
    return { counters };
  }

  return {
    /** Checks the configuration and the targets, then freezes the scope in sort order: its size is the run's total. */
    async prepareProvisioningRun(ref: ProvisioningRunRef): Promise<{ pages: number; total: number }> {
      return withSetup(ref, async (s) => {
        for (const c of s.connectors) await c.test();
        heartbeat();
        const objects = s.db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects);
        const filter = toMongoFilter(s.def.scope) as Filter<IdmObjectDoc>;
        const version = { fields: OBJECT_VERSION_FIELDS, of: objectVersion };
        const r = await writeSortedSnapshot(s.db, scopeSnapshot(ref.runId), objects, filter, scopeSort(s.def.sortExpression), deps.settings.PAGE_SIZE, () => heartbeat(), { version });
        await new RunProgress(s.db, ref.runId).started(r.total);
        return r;
      });
    },

    /** One page of the scope: every object brought to what the profiles say on every target application. */
    async processProvisioningPage(ref: ProvisioningRunRef & { pageNo: number; countersBefore: Counters }): Promise<{ counters: Counters }> {
      return withSetup(ref, async (s) => {
        const entries = await readSnapshotEntries(s.db, scopeSnapshot(ref.runId), ref.pageNo);
        return journaled(s, ref, `s${ref.pageNo}`, () => provisionObjectsPage(s.run, s.deps, entries, ref.pageNo * deps.settings.PAGE_SIZE + 1));
      });
    },

    /**
     * Accounts of IDM objects deleted from the repository: one streamed pass over the targets' account links, the
     * objects not marked seen by the scope pages checked by `_id` in batches; the orphans are frozen in a snapshot
     * and added to the total.
     */
    async snapshotOrphans(ref: ProvisioningRunRef): Promise<{ pages: number; total: number }> {
      return withSetup(ref, async (s) => {
        const applicationIds = [...new Set(s.run.targets.map((t) => t.compiled.app.id))];
        const orphans = orphanedAccounts({ ...s.deps, seen: new SeenMarks(s.db, ref.runId) }, s.deps.links.ofApplications(applicationIds), deps.settings.PAGE_SIZE);
        const r = await writeSnapshot(s.db, orphanSnapshot(ref.runId), orphans, deps.settings.PAGE_SIZE, () => heartbeat());
        await new RunProgress(s.db, ref.runId).addToTotal(r.total);
        return r;
      });
    },

    async processOrphansPage(ref: ProvisioningRunRef & { pageNo: number; countersBefore: Counters }): Promise<{ counters: Counters }> {
      return withSetup(ref, async (s) => {
        const ids = await readSnapshotPage(s.db, orphanSnapshot(ref.runId), ref.pageNo);
        return journaled(s, ref, `o${ref.pageNo}`, () => deprovisionOrphansPage(s.run, s.deps, ids, ref.pageNo * deps.settings.PAGE_SIZE + 1));
      });
    },
  };
}

function totalWrites(connectors: CountingConnector[]): number {
  return connectors.reduce((n, c) => n + c.totalWrites(), 0);
}

async function closeAll(connectors: CountingConnector[]): Promise<void> {
  await Promise.all(connectors.map((c) => c.close().catch(() => undefined)));
}
