import type { TestApi, TestResponse } from '../../harness/api';

/** Minimal valid configuration resources, one builder per type; tests override what they exercise. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience

export const csvConnector = (id = 'csv'): Json => ({
  id,
  name: 'HR CSV',
  connectorType: 'CSV',
  connectorProperties: { filePath: 'hr.csv', uidAttribute: 'employeeNumber' },
});

export const ldapConnector = (id = 'ldap', bindPassword = 'admin-secret'): Json => ({
  id,
  name: 'Directory',
  connectorType: 'LDAP',
  connectorProperties: { url: 'ldap://127.0.0.1:3389', baseDn: 'ou=people,dc=example,dc=com', bindDn: 'cn=admin,dc=example,dc=com', bindPassword },
});

export const objectSyncDefinition = (): Json => ({
  objectType: 'employee',
  objectClassId: '__ACCOUNT__',
  shadowKind: 'ACCOUNT',
  correlationDefinition: {
    simpleCorrelationStrategyDefinition: { attributeCorrelationDefinitions: [{ inputAttributeId: 'employeeNumber', idmAttributeId: 'employeeNumber' }] },
  },
  reactionDefinitions: [{ situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT'] }],
});

export const application = (id = 'hr', connectorId = 'csv'): Json => ({
  id,
  name: 'HR',
  connectorId,
  synchronizationDefinition: {
    objectTypeResolutionDefinition: { defaultObjectTypeId: 'employee' },
    objectSynchronizationDefinitions: [objectSyncDefinition()],
  },
  schemaMappingDefinition: {
    objectSchemaMappingDefinitions: [
      {
        objectType: 'employee',
        objectClassId: '__ACCOUNT__',
        shadowKind: 'ACCOUNT',
        inboundAttributeMappings: [{ idmAttributeId: 'lastName', simple: { applicationAttributeId: 'lastName' } }],
      },
    ],
  },
});

export const syncPostProcessing = (id = 'spp'): Json => ({ id, name: 'report', reportDefinition: { reportPublicationDefinition: { enabled: true } } });

export const syncTask = (id = 'import', applicationId = 'hr'): Json => ({ id, name: 'Import', taskType: 'IMPORT', applicationId, objectClassId: '__ACCOUNT__' });

export const profile = (id = 'prof', applicationId = 'hr'): Json => ({
  id,
  applicationId,
  shadowKind: 'ACCOUNT',
  objectMatchingCondition: { objectKind: 'IDENTITY', objectTypes: ['employee'] },
  assignments: [{ entitlementId: 'cn=staff,ou=groups,dc=example,dc=com' }],
});

export const provPostProcessing = (id = 'ppp'): Json => ({ id, reportDefinition: { errorPublicationDefinition: { errorDetails: ['IDM_OBJECT_ID'] } } });

export const provTask = (id = 'prov'): Json => ({ id, name: 'Provisioning', scope: { $and: [{ kind: 'IDENTITY' }, { type: { $in: ['employee'] } }] } });

/** REST collection segments of the seed's table. */
export const PATHS = {
  connectorDefinition: 'connector-definitions',
  application: 'applications',
  synchronizationTaskPostProcessingDefinition: 'sync-task-post-processing-definitions',
  synchronizationTaskDefinition: 'sync-task-definitions',
  applicationProfile: 'application-profiles',
  provisioningTaskPostProcessingDefinition: 'prov-task-post-processing-definitions',
  provisioningTaskDefinition: 'prov-task-definitions',
} as const;

export function conf(tenant: string, collection: string, id?: string): string {
  return `/${tenant}/api/sync/conf/${collection}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
}

export async function post(api: TestApi, tenant: string, collection: string, body: unknown): Promise<TestResponse> {
  return api.req('POST', conf(tenant, collection), body);
}

/** Creates a resource and fails the test unless it is 201. */
export async function create(api: TestApi, tenant: string, collection: string, body: unknown): Promise<Json> {
  const res = await post(api, tenant, collection, body);
  if (res.status !== 201) throw new Error(`POST ${collection} gave ${res.status}: ${res.text}`);
  return res.json as Json;
}

export async function exportXml(api: TestApi, tenant: string): Promise<string> {
  const res = await api.req('GET', `/${tenant}/api/sync/conf/dataset/export`);
  if (res.status !== 200) throw new Error(`export gave ${res.status}: ${res.text}`);
  return res.text;
}

export async function importXml(api: TestApi, tenant: string, xml: string): Promise<TestResponse> {
  return api.req('POST', `/${tenant}/api/sync/conf/dataset/import`, xml, { 'content-type': 'application/xml' });
}

/** The paths of a 400's `properties.errors`. */
export function errorPaths(res: TestResponse): string[] {
  return ((res.json?.properties?.errors ?? []) as Array<{ path: string }>).map((e) => e.path);
}
