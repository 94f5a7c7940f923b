import { startTestApi, type TestApi } from '../../harness/api';
import { testSettings, uniqueTenant } from '../../harness/env';
import type { ResourceType } from '../../../src/config/resource-types';
import {
  application, conf, create, csvConnector, errorPaths, ldapConnector, PATHS, post, profile, provPostProcessing, provTask, syncPostProcessing, syncTask, type Json,
} from './fixtures';

/** Per resource type: the resource to create (its dependencies are created first) and a change to apply. */
const CASES: Array<{ type: ResourceType; body: Json; change: Json }> = [
  { type: 'connectorDefinition', body: csvConnector('c1'), change: { name: 'renamed' } },
  { type: 'application', body: application('a1', 'csv'), change: { description: 'HR system' } },
  { type: 'synchronizationTaskPostProcessingDefinition', body: syncPostProcessing('s1'), change: { overwriteExistingArchive: true } },
  { type: 'synchronizationTaskDefinition', body: syncTask('t1', 'hr'), change: { taskType: 'RECONCILIATION' } },
  { type: 'applicationProfile', body: profile('p1', 'hr'), change: { enabled: false } },
  { type: 'provisioningTaskPostProcessingDefinition', body: provPostProcessing('q1'), change: { name: 'report' } },
  { type: 'provisioningTaskDefinition', body: provTask('v1'), change: { applicationIds: ['hr'] } },
];

describe('configuration CRUD over HTTP', () => {
  let api: TestApi;
  const tenant = uniqueTenant('conf');
  const saved: string[] = [];
  const deleted: string[] = [];

  beforeAll(async () => {
    api = await startTestApi(testSettings());
    api.ctx.configListeners = {
      onSaved: async (t, type, r) => void saved.push(`${t}/${type}/${r.id}/v${r.version}`),
      onDeleted: async (t, type, id) => void deleted.push(`${t}/${type}/${id}`),
    };
    await create(api, tenant, PATHS.connectorDefinition, csvConnector('csv'));
    await create(api, tenant, PATHS.application, application('hr', 'csv'));
  });
  afterAll(async () => api.close());

  describe.each(CASES)('$type', ({ type, body, change }) => {
    const collection = PATHS[type];

    it('creates (201), reads, lists, updates (version +1) and deletes (204)', async () => {
      const created = await post(api, tenant, collection, body);
      expect(created.status).toBe(201);
      expect(created.json).toEqual({ ...body, createdAt: expect.any(String), updatedAt: created.json.createdAt, version: 1 });
      expect(saved).toContain(`${tenant}/${type}/${body.id}/v1`);

      const read = await api.req('GET', conf(tenant, collection, body.id));
      expect(read.status).toBe(200);
      expect(read.json).toEqual(created.json);

      const list = await api.req('GET', `${conf(tenant, collection)}/`);
      expect(list.status).toBe(200);
      expect(Array.isArray(list.json)).toBe(true);
      expect(list.json.map((r: Json) => r.id)).toEqual([...list.json.map((r: Json) => r.id)].sort());
      expect(list.json).toContainEqual(created.json);

      const updated = await api.req('PUT', conf(tenant, collection, body.id), { ...read.json, ...change, createdAt: '1999-01-01T00:00:00.000Z' });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ ...change, version: 2, createdAt: created.json.createdAt });
      expect((await api.req('GET', conf(tenant, collection, body.id))).json).toEqual(updated.json);

      const del = await api.req('DELETE', conf(tenant, collection, body.id));
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect(deleted).toContain(`${tenant}/${type}/${body.id}`);
      expect((await api.req('GET', conf(tenant, collection, body.id))).status).toBe(404);
    });

    it('answers the N/A methods with 405 and an Allow header', async () => {
      for (const method of ['PUT', 'DELETE', 'PATCH']) {
        const res = await api.req(method, conf(tenant, collection), method === 'DELETE' ? undefined : body);
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, POST');
        expect(res.json.label).toBe('METHOD_NOT_ALLOWED');
      }
      for (const method of ['POST', 'PATCH']) {
        const res = await api.req(method, conf(tenant, collection, 'x'), body);
        expect(res.status).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
      }
    });

    it('answers 404 for an unknown id on GET, PUT and DELETE', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const res = await api.req(method, conf(tenant, collection, 'missing'), method === 'PUT' ? { ...body, id: 'missing' } : undefined);
        expect(res.status).toBe(404);
        expect(res.json.label).toBe('NOT_FOUND');
      }
    });
  });

  it('accepts collection and item paths with or without a trailing slash', async () => {
    expect((await api.req('GET', `${conf(tenant, PATHS.application)}/`)).status).toBe(200);
    expect((await api.req('GET', conf(tenant, PATHS.application))).status).toBe(200);
    expect((await api.req('GET', `${conf(tenant, PATHS.application, 'hr')}/`)).status).toBe(200);
  });

  it('POST of an existing id is 409 and leaves the stored resource as it was', async () => {
    const before = (await api.req('GET', conf(tenant, PATHS.connectorDefinition, 'csv'))).json;
    const res = await post(api, tenant, PATHS.connectorDefinition, { ...csvConnector('csv'), name: 'other' });
    expect(res.status).toBe(409);
    expect(res.json.label).toBe('CONFLICT');
    expect((await api.req('GET', conf(tenant, PATHS.connectorDefinition, 'csv'))).json).toEqual(before);
  });

  it('PUT with a stale version is 409; without a version it applies', async () => {
    await create(api, tenant, PATHS.synchronizationTaskPostProcessingDefinition, syncPostProcessing('ver'));
    const path = conf(tenant, PATHS.synchronizationTaskPostProcessingDefinition, 'ver');
    expect((await api.req('PUT', path, { ...syncPostProcessing('ver'), version: 1 })).json.version).toBe(2);
    const stale = await api.req('PUT', path, { ...syncPostProcessing('ver'), name: 'stale', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.json.properties).toMatchObject({ version: 2 });
    expect((await api.req('GET', path)).json).toMatchObject({ name: 'report', version: 2 });
    expect((await api.req('PUT', path, { name: 'no version' })).json).toMatchObject({ id: 'ver', name: 'no version', version: 3 });
    const mistyped = await api.req('PUT', path, { ...syncPostProcessing('ver'), version: '3' });
    expect(mistyped.status).toBe(400);
    expect(errorPaths(mistyped)).toEqual(['version']);
  });

  it('concurrent PUTs of one version: exactly one applies, the others are 409, no update is lost', async () => {
    await create(api, tenant, PATHS.synchronizationTaskPostProcessingDefinition, syncPostProcessing('race'));
    const path = conf(tenant, PATHS.synchronizationTaskPostProcessingDefinition, 'race');
    for (let round = 0; round < 3; round++) {
      const read = (await api.req('GET', path)).json;
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => api.req('PUT', path, { ...read, name: `writer ${round}.${i}` })));
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(7);
      expect((await api.req('GET', path)).json).toMatchObject({ name: winners[0]!.json.name, version: read.version + 1 });
    }
  });

  it('a create racing the delete of what it references never leaves a dangling reference', async () => {
    for (let round = 0; round < 4; round++) {
      const connectorId = `cx${round}`;
      await create(api, tenant, PATHS.connectorDefinition, csvConnector(connectorId));
      const [created, removed] = await Promise.all([
        post(api, tenant, PATHS.application, application(`ax${round}`, connectorId)),
        api.req('DELETE', conf(tenant, PATHS.connectorDefinition, connectorId)),
      ]);
      expect([created.status, removed.status].sort()).toEqual(created.status === 201 ? [201, 409] : [204, 400]);
      const connector = await api.req('GET', conf(tenant, PATHS.connectorDefinition, connectorId));
      const app = await api.req('GET', conf(tenant, PATHS.application, `ax${round}`));
      expect(connector.status === 200 || app.status === 404).toBe(true);
    }
  });

  it('a write whose side effects fail (its schedule, its keys) is undone: nothing half-written', async () => {
    const listeners = api.ctx.configListeners;
    const path = conf(tenant, PATHS.synchronizationTaskPostProcessingDefinition, 'undo');
    try {
      await create(api, tenant, PATHS.synchronizationTaskPostProcessingDefinition, syncPostProcessing('undo'));
      const before = (await api.req('GET', path)).json;
      api.ctx.configListeners = {
        onSaved: async (_t, _type, r) => {
          if (r.id === 'undo' || r.id === 'undo-new') throw new Error('schedule service down');
        },
      };
      expect((await api.req('PUT', path, { ...before, name: 'changed' })).status).toBe(500);
      expect((await api.req('GET', path)).json).toEqual(before);
      expect((await post(api, tenant, PATHS.synchronizationTaskPostProcessingDefinition, syncPostProcessing('undo-new'))).status).toBe(500);
      expect((await api.req('GET', conf(tenant, PATHS.synchronizationTaskPostProcessingDefinition, 'undo-new'))).status).toBe(404);
    } finally {
      api.ctx.configListeners = listeners;
    }
  });

  it('PUT with a body id different from the path id is 400', async () => {
    const res = await api.req('PUT', conf(tenant, PATHS.connectorDefinition, 'csv'), csvConnector('other'));
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['id']);
  });

  it('a reference to a missing resource is 400 naming the property', async () => {
    const cases: Array<[string, Json, string[]]> = [
      [PATHS.application, application('a-missing', 'nope'), ['connectorId']],
      [PATHS.synchronizationTaskDefinition, syncTask('t-missing', 'nope'), ['applicationId']],
      [PATHS.synchronizationTaskDefinition, { ...syncTask('t-missing2'), synchronizationTaskPostProcessingId: 'nope' }, ['synchronizationTaskPostProcessingId']],
      [PATHS.applicationProfile, profile('p-missing', 'nope'), ['applicationId']],
      [PATHS.provisioningTaskDefinition, { ...provTask('v-missing'), applicationIds: ['hr', 'nope'], provisioningTaskPostProcessingId: 'nope' }, ['applicationIds[1]', 'provisioningTaskPostProcessingId']],
    ];
    for (const [collection, body, paths] of cases) {
      const res = await post(api, tenant, collection, body);
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual(paths);
      expect((await api.req('GET', conf(tenant, collection, body.id))).status).toBe(404);
    }
  });

  it('a sync task needs an application with a synchronizationDefinition', async () => {
    const { synchronizationDefinition: _s, ...outboundOnly } = application('outbound-only', 'csv');
    await create(api, tenant, PATHS.application, outboundOnly);
    const res = await post(api, tenant, PATHS.synchronizationTaskDefinition, syncTask('t-outbound', 'outbound-only'));
    expect(res.status).toBe(400);
    expect(res.json.properties.errors).toEqual([{ path: 'applicationId', reason: expect.stringMatching(/no synchronizationDefinition/) }]);
  });

  it('deleting a referenced resource is 409 naming every referrer, and deletes nothing', async () => {
    await create(api, tenant, PATHS.connectorDefinition, ldapConnector('ldap-ref'));
    await create(api, tenant, PATHS.application, { ...application('dir', 'ldap-ref'), synchronizationDefinition: undefined, schemaMappingDefinition: { objectSchemaMappingDefinitions: [{ objectClassId: 'inetOrgPerson', shadowKind: 'ACCOUNT' }] } });
    await create(api, tenant, PATHS.applicationProfile, profile('dir-prof', 'dir'));
    await create(api, tenant, PATHS.provisioningTaskPostProcessingDefinition, provPostProcessing('dir-ppp'));
    await create(api, tenant, PATHS.provisioningTaskDefinition, { ...provTask('dir-prov'), applicationIds: ['dir'], provisioningTaskPostProcessingId: 'dir-ppp' });

    const app = await api.req('DELETE', conf(tenant, PATHS.application, 'dir'));
    expect(app.status).toBe(409);
    expect(app.json.properties.referrers).toEqual([
      { type: 'ApplicationProfile', id: 'dir-prof' },
      { type: 'ProvisioningTaskDefinition', id: 'dir-prov' },
    ]);
    expect(app.json.description).toMatch(/ApplicationProfile dir-prof.*ProvisioningTaskDefinition dir-prov/);
    const connector = await api.req('DELETE', conf(tenant, PATHS.connectorDefinition, 'ldap-ref'));
    expect(connector.status).toBe(409);
    expect(connector.json.properties.referrers).toEqual([{ type: 'Application', id: 'dir' }]);
    const ppp = await api.req('DELETE', conf(tenant, PATHS.provisioningTaskPostProcessingDefinition, 'dir-ppp'));
    expect(ppp.status).toBe(409);
    expect((await api.req('GET', conf(tenant, PATHS.application, 'dir'))).status).toBe(200);
    expect((await api.req('GET', conf(tenant, PATHS.provisioningTaskPostProcessingDefinition, 'dir-ppp'))).status).toBe(200);
  });

  it('an update that would invalidate a referrer is 409 naming it', async () => {
    await create(api, tenant, PATHS.application, application('hr2', 'csv'));
    await create(api, tenant, PATHS.synchronizationTaskDefinition, syncTask('hr2-import', 'hr2'));
    const { synchronizationDefinition: _s, ...withoutSync } = application('hr2', 'csv');
    const res = await api.req('PUT', conf(tenant, PATHS.application, 'hr2'), withoutSync);
    expect(res.status).toBe(409);
    expect(res.json.properties.referrers).toEqual([{ type: 'SynchronizationTaskDefinition', id: 'hr2-import', errors: [{ path: 'applicationId', reason: expect.any(String) }] }]);
    expect((await api.req('GET', conf(tenant, PATHS.application, 'hr2'))).json.version).toBe(1);
  });

  it('a body that is not JSON is 415; malformed JSON is 400', async () => {
    const wrongType = await api.req('POST', conf(tenant, PATHS.connectorDefinition), 'id=x', { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const malformed = await api.req('POST', conf(tenant, PATHS.connectorDefinition), '{"id":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
  });
});
