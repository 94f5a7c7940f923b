import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Collection } from 'mongodb';
import type { ConfigListeners, ResourceType } from '../config/service';
import { AppError } from '../errors';
import type { RunKind } from '../store/task-runs';
import { runWorkflowId } from '../temporal/ids';
import type { Application, ExecutionPlan } from '../config/schemas';
import { storeUsesSecondaryIndexes, type TenantDbs } from '../store/mongo';
import { IdmObjectStore } from '../store/idm-objects';
import { syncSchedule } from '../temporal/schedules';
import { COLLECTIONS, isNamespaceNotFound } from '../store/collections';
import { keyedAttributes } from '../engine/compiled-application';

/**
 * What a configuration write implies elsewhere: a task definition's execution plan becomes its Temporal Schedule;
 * the attributes an application's correlations look up get correlation keys (backfilled) and MongoDB indexes.
 */
export function configListeners(deps: { temporal: Client; taskQueue: string; dbs: TenantDbs }): ConfigListeners {
  return {
    async beforeDelete(tenant, type, id) {
      const kind = runKindOf(type);
      if (!kind) return;
      const running = await deps.temporal.workflow
        .getHandle(runWorkflowId(kind, tenant, id))
        .describe()
        .then((d) => d.status.name === 'RUNNING')
        .catch((e: unknown) => {
          if (e instanceof WorkflowNotFoundError) return false;
          throw e;
        });
      if (running) throw new AppError('CONFLICT', `Task ${id} has a run in progress`, { id }, 'Wait for the run to finish, or cancel it, then delete the task definition');
    },
    async onSaved(tenant, type, resource) {
      const kind = runKindOf(type);
      if (kind) {
        await syncSchedule(deps.temporal, deps.taskQueue, kind, tenant, resource.id, resource.executionPlan as ExecutionPlan | undefined);
      } else if (type === 'application') {
        const attrs = keyedAttributes((resource as unknown as Application).synchronizationDefinition?.objectSynchronizationDefinitions ?? []);
        if (attrs.length === 0) return;
        const db = deps.dbs.db(tenant);
        await new IdmObjectStore(db).keys.ensureTracked(attrs);
        // On MongoDB these make any correlation query the API allows fast too. FerretDB would maintain them on every
        // write and never read them (docs/decisions.md). One at a time: a createIndexes of several indexes that
        // already exist made FerretDB panic.
        const objects = db.collection(COLLECTIONS.idmObjects);
        if (!(await storeUsesSecondaryIndexes(deps.dbs.client))) return dropAttributeIndexes(objects);
        for (const a of attrs) await objects.createIndex({ [`attributes.${a}`]: 1 }, { name: `attr_${a}` });
      }
    },
    async onDeleted(tenant, type, id) {
      const kind = runKindOf(type);
      if (kind) await syncSchedule(deps.temporal, deps.taskQueue, kind, tenant, id, null);
    },
  };
}

/** The kind of run a task definition starts; null for the other resource types. */
function runKindOf(type: ResourceType): RunKind | null {
  return type === 'synchronizationTaskDefinition' ? 'SYNC' : type === 'provisioningTaskDefinition' ? 'PROVISIONING' : null;
}

/** Drops the attribute indexes versions before this one made on FerretDB, where they only cost (one at a time). */
async function dropAttributeIndexes(objects: Collection): Promise<void> {
  const indexes = await objects
    .listIndexes()
    .toArray()
    .catch((e: unknown) => {
      if (isNamespaceNotFound(e)) return []; // no IDM object yet
      throw e;
    });
  const names = indexes.map((i) => String(i.name)).filter((n) => n.startsWith('attr_'));
  for (const name of names) await objects.dropIndex(name);
}
