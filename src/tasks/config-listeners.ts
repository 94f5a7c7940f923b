import type { Client } from '@temporalio/client';
import type { ConfigListeners } from '../config/service';
import type { Application, ExecutionPlan } from '../config/schemas';
import type { TenantDbs } from '../store/mongo';
import { IdmObjectStore } from '../store/idm-objects';
import { syncSchedule } from '../temporal/schedules';
import { COLLECTIONS } from '../store/collections';
import { keyedAttributes } from '../engine/compiled-application';

/**
 * What a configuration write implies elsewhere: a task definition's execution plan becomes its Temporal Schedule;
 * the attributes an application's correlations look up get correlation keys (backfilled) and MongoDB indexes.
 */
export function configListeners(deps: { temporal: Client; taskQueue: string; dbs: TenantDbs }): ConfigListeners {
  return {
    async onSaved(tenant, type, resource) {
      if (type === 'synchronizationTaskDefinition' || type === 'provisioningTaskDefinition') {
        const kind = type === 'synchronizationTaskDefinition' ? 'SYNC' : 'PROVISIONING';
        await syncSchedule(deps.temporal, deps.taskQueue, kind, tenant, resource.id, resource.executionPlan as ExecutionPlan | undefined);
      } else if (type === 'application') {
        const attrs = keyedAttributes((resource as unknown as Application).synchronizationDefinition?.objectSynchronizationDefinitions ?? []);
        if (attrs.length === 0) return;
        const db = deps.dbs.db(tenant);
        await new IdmObjectStore(db).keys.ensureTracked(attrs);
        // On a real MongoDB these make any correlation query the API allows fast too; FerretDB accepts and ignores them.
        // One at a time: FerretDB (SQLite) panics on a createIndexes of several indexes that already exist.
        for (const a of attrs) await db.collection(COLLECTIONS.idmObjects).createIndex({ [`attributes.${a}`]: 1 }, { name: `attr_${a}` });
      }
    },
    async onDeleted(tenant, type, id) {
      if (type === 'synchronizationTaskDefinition' || type === 'provisioningTaskDefinition') {
        await syncSchedule(deps.temporal, deps.taskQueue, type === 'synchronizationTaskDefinition' ? 'SYNC' : 'PROVISIONING', tenant, id, null);
      }
    },
  };
}
