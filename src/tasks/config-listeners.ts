import type { Client } from '@temporalio/client';
import type { ConfigListeners } from '../config/service';
import type { Application, ExecutionPlan } from '../config/schemas';
import type { TenantDbs } from '../store/mongo';
import { IdmObjectStore } from '../store/idm-objects';
import { syncSchedule } from '../temporal/schedules';
import { COLLECTIONS } from '../store/collections';

/** The IDM attributes an application's simple correlations compare with. */
export function correlationAttributes(app: Application): string[] {
  return (app.synchronizationDefinition?.objectSynchronizationDefinitions ?? []).flatMap(
    (o) => o.correlationDefinition.simpleCorrelationStrategyDefinition?.attributeCorrelationDefinitions.map((a) => a.idmAttributeId) ?? [],
  );
}

/**
 * What a configuration write implies elsewhere: a task definition's execution plan becomes its Temporal Schedule;
 * an application's correlation attributes get correlation keys (backfilled) and MongoDB indexes.
 */
export function configListeners(deps: { temporal: Client; taskQueue: string; dbs: TenantDbs }): ConfigListeners {
  return {
    async onSaved(tenant, type, resource) {
      if (type === 'synchronizationTaskDefinition' || type === 'provisioningTaskDefinition') {
        const kind = type === 'synchronizationTaskDefinition' ? 'SYNC' : 'PROVISIONING';
        await syncSchedule(deps.temporal, deps.taskQueue, kind, tenant, resource.id, resource.executionPlan as ExecutionPlan | undefined);
      } else if (type === 'application') {
        const attrs = correlationAttributes(resource as unknown as Application);
        if (attrs.length === 0) return;
        const db = deps.dbs.db(tenant);
        await new IdmObjectStore(db).keys.ensureTracked(attrs);
        // On a real MongoDB these make any correlation query the API allows fast too; FerretDB accepts and ignores them.
        await db.collection(COLLECTIONS.idmObjects).createIndexes(attrs.map((a) => ({ key: { [`attributes.${a}`]: 1 }, name: `attr_${a}` })));
      }
    },
    async onDeleted(tenant, type, id) {
      if (type === 'synchronizationTaskDefinition' || type === 'provisioningTaskDefinition') {
        await syncSchedule(deps.temporal, deps.taskQueue, type === 'synchronizationTaskDefinition' ? 'SYNC' : 'PROVISIONING', tenant, id, null);
      }
    },
  };
}
