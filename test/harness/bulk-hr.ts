import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { TestApi } from './api';

/** Writes an HR CSV of `n` deterministic rows (employeeNumber E0000001...). */
export async function writeHrCsv(file: string, n: number, from = 1): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  out.write('employeeNumber,firstName,lastName,email,department\n');
  for (let i = from; i < from + n; i++) {
    const id = `E${String(i).padStart(7, '0')}`;
    if (!out.write(`${id},First${i},Last${i},user${i}@example.com,Dept${i % 17}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * A lean HR configuration through the REST API: a CSV connector on `hr.csv`, an application correlating on
 * employeeNumber (reactions: LINKED → SYNCHRONIZE, UNMATCHED → ADD, DELETED → INACTIVATE), IMPORT and RECONCILIATION tasks.
 */
export async function createBulkHrConfig(api: TestApi, tenant: string, extra: { executionPlan?: Record<string, unknown> } = {}): Promise<void> {
  const base = `/${tenant}/api/sync/conf`;
  const ok = async (p: string, body: unknown) => {
    const r = await api.req('POST', `${base}/${p}/`, body);
    if (r.status !== 201) throw new Error(`POST ${p}: ${r.status} ${r.text}`);
  };
  await ok('connector-definitions', { id: 'bulk-csv', name: 'Bulk CSV', connectorType: 'CSV', connectorProperties: { filePath: 'hr.csv', uidAttribute: 'employeeNumber', nameAttribute: 'email' } });
  const mapping = (idm: string, col: string) => ({ idmAttributeId: idm, simple: { applicationAttributeId: col } });
  await ok('applications', {
    id: 'bulk',
    name: 'Bulk HR',
    connectorId: 'bulk-csv',
    synchronizationDefinition: {
      objectTypeResolutionDefinition: { defaultObjectTypeId: 'employee' },
      objectSynchronizationDefinitions: [
        {
          objectType: null,
          objectClassId: '__ACCOUNT__',
          shadowKind: 'ACCOUNT',
          correlationDefinition: { simpleCorrelationStrategyDefinition: { attributeCorrelationDefinitions: [{ inputAttributeId: 'employeeNumber', idmAttributeId: 'employeeNumber' }] } },
          reactionDefinitions: [
            { situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'] },
            { situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT'] },
            { situation: 'DELETED', actions: ['INACTIVATE_IDM_OBJECT'] },
          ],
        },
      ],
    },
    schemaMappingDefinition: {
      objectSchemaMappingDefinitions: [
        {
          objectType: null,
          objectClassId: '__ACCOUNT__',
          shadowKind: 'ACCOUNT',
          inboundAttributeMappings: [mapping('employeeNumber', 'employeeNumber'), mapping('firstName', 'firstName'), mapping('lastName', 'lastName'), mapping('mail', 'email'), mapping('department', 'department')],
        },
      ],
    },
  });
  await ok('sync-task-definitions', { id: 'bulk-import', name: 'Bulk import', taskType: 'IMPORT', applicationId: 'bulk', objectClassId: '__ACCOUNT__', ...extra });
  await ok('sync-task-definitions', { id: 'bulk-recon', name: 'Bulk reconciliation', taskType: 'RECONCILIATION', applicationId: 'bulk', objectClassId: '__ACCOUNT__' });
}
