import { randomBytes } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { MongoClient } from 'mongodb';
import { TenantDbs } from '../../src/store/mongo';
import { stagedSourceCollection } from '../../src/store/staged-source';

const N = 30;

/** An import then a reconciliation from an LDAP directory (the test slapd), asserted on the repository and the progress. */
describe('synchronization runs through REST (LDAP)', () => {
  const settings = testSettings({ PAGE_SIZE: '8' });
  const tenant = uniqueTenant('ldapsync');
  const { ldap } = testEnv();
  const ou = `ou=sync-${randomBytes(4).toString('hex')},${ldap.suffix}`;
  const dn = (i: number) => `uid=user${i},${ou}`;
  let api: TestApi;
  let worker: TestWorker;
  let dir: Client;

  beforeAll(async () => {
    dir = new Client({ url: ldap.url });
    await dir.bind(ldap.bindDn, ldap.bindPassword);
    await dir.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: ou.split(',')[0]!.slice(3) });
    for (let i = 1; i <= N; i++) {
      await dir.add(dn(i), { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: `user${i}`, cn: `User ${i}`, sn: `Surname${i}`, mail: [`user${i}@example.com`, `u${i}@alias.example.com`] });
    }
    [api, worker] = await Promise.all([startTestApi(settings), startTestWorker(settings)]);
    const base = `/${tenant}/api/sync/conf`;
    const post = async (p: string, body: unknown) => expect((await api.req('POST', `${base}/${p}/`, body)).status).toBe(201);
    await post('connector-definitions', { id: 'dir', name: 'Directory', connectorType: 'LDAP', connectorProperties: { url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword, baseDn: ou, pageSize: 10 } });
    const simple = (idm: string, app: string) => ({ idmAttributeId: idm, simple: { applicationAttributeId: app } });
    await post('applications', {
      id: 'dir-app',
      name: 'Directory accounts',
      connectorId: 'dir',
      synchronizationDefinition: {
        objectTypeResolutionDefinition: { defaultObjectTypeId: 'employee' },
        objectSynchronizationDefinitions: [
          {
            objectClassId: 'inetOrgPerson',
            shadowKind: 'ACCOUNT',
            correlationDefinition: { simpleCorrelationStrategyDefinition: { attributeCorrelationDefinitions: [{ inputAttributeId: 'uid', idmAttributeId: 'login' }] } },
            reactionDefinitions: [
              { situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'] },
              { situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'] },
              { situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT'] },
              { situation: 'DELETED', actions: ['SOFT_DELETE_IDM_OBJECT', 'UNLINK'] },
            ],
          },
        ],
      },
      schemaMappingDefinition: {
        objectSchemaMappingDefinitions: [
          {
            objectClassId: 'inetOrgPerson',
            shadowKind: 'ACCOUNT',
            inboundAttributeMappings: [simple('login', 'uid'), simple('lastName', 'sn'), simple('mail', 'mail'), simple('dn', '__NAME__'), { idmAttributeId: 'displayName', custom: { computeRule: { script: 'return ACCOUNT.cn + " (" + ACCOUNT.uid + ")";' } } }],
          },
        ],
      },
    });
    await post('sync-task-definitions', { id: 'dir-import', name: 'Import', taskType: 'IMPORT', applicationId: 'dir-app', objectClassId: 'inetOrgPerson' });
    await post('sync-task-definitions', { id: 'dir-recon', name: 'Reconcile', taskType: 'RECONCILIATION', applicationId: 'dir-app', objectClassId: 'inetOrgPerson' });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await dir?.unbind();
  });

  const byLogin = async () => {
    const r = await api.req('GET', `/${tenant}/api/idm/objects?limit=1000`);
    return new Map((r.json as Array<{ attributes: Record<string, unknown>; lifecycleState: string; id: string }>).map((o) => [o.attributes.login, o]));
  };

  it('IMPORT reads every entry (paged, resumable) into one IDM object each, with mapped attributes', async () => {
    const { path } = await launch(api, tenant, 'sync-tasks', 'dir-import');
    const done = await waitForRun(api, path);
    expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: N, numberOfProcessedEntries: N, numberOfErrors: 0 }));
    expect(done.statistics.actions).toEqual({ ADD_IDM_OBJECT: N });
    const objects = await byLogin();
    expect(objects.size).toBe(N);
    expect(objects.get('user7')!.attributes).toEqual({
      login: 'user7',
      lastName: 'Surname7',
      mail: ['user7@example.com', 'u7@alias.example.com'],
      dn: dn(7),
      displayName: 'User 7 (user7)',
    });
  });

  it('RECONCILIATION after directory changes: the modified entry updates its owner, the deleted one soft-deletes it', async () => {
    await dir.modify(dn(3), new Change({ operation: 'replace', modification: new Attribute({ type: 'sn', values: ['Renamed'] }) }));
    await dir.del(dn(4));
    const { path } = await launch(api, tenant, 'sync-tasks', 'dir-recon');
    const done = await waitForRun(api, path);
    expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: N, numberOfProcessedEntries: N }));
    expect(done.statistics.situations).toEqual({ LINKED: N - 1, DELETED: 1 });
    expect(done.statistics.actions).toEqual({ SYNCHRONIZE_IDM_OBJECT: N - 1, SOFT_DELETE_IDM_OBJECT: 1, UNLINK: 1 });
    const objects = await byLogin();
    expect(objects.get('user3')!.attributes.lastName).toBe('Renamed');
    expect(objects.get('user4')!.lifecycleState).toBe('SOFT_DELETED');
    expect(objects.get('user5')!.lifecycleState).toBe('ACTIVE');
    // Only the changed object got a new version.
    expect((objects.get('user3') as unknown as { version: number }).version).toBe(2);
    expect((objects.get('user5') as unknown as { version: number }).version).toBe(1);
  });

  it('a run reads the directory once, before its first page, into a staged copy that it drops when it ends', async () => {
    const client = new MongoClient(settings.MONGODB_URI);
    try {
      const db = new TenantDbs(client, settings.MONGODB_DB_PREFIX).db(tenant);
      const { id, path } = await launch(api, tenant, 'sync-tasks', 'dir-recon');
      expect((await api.req('POST', `${path}/~pause`)).status).toBe(200);
      await waitForRun(api, path, (p) => p.progressStatus === 'PAUSED');
      // Paused between pages: the accounts are staged in pages of PAGE_SIZE (8), and the directory is not read again.
      const staged = db.collection<{ _id: string; pages?: number; total?: number }>(stagedSourceCollection(id));
      expect(await staged.findOne({ _id: 'meta' })).toEqual({ _id: 'meta', pages: 4, total: N - 1 });
      await dir.add(dn(N + 1), { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid: `user${N + 1}`, cn: 'Late', sn: 'Late' });
      expect((await api.req('POST', `${path}/~resume`)).status).toBe(200);
      const done = await waitForRun(api, path);
      expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: N - 1, numberOfProcessedEntries: N - 1 }));
      expect(done.statistics.situations).toEqual({ LINKED: N - 1 });
      expect((await db.listCollections({ name: stagedSourceCollection(id) }).toArray())).toEqual([]);
    } finally {
      await dir.del(dn(N + 1)).catch(() => undefined);
      await client.close();
    }
  });
});
