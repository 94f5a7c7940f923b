import { Attribute, Change, Client } from 'ldapts';
import { MongoClient, type Db } from 'mongodb';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { COLLECTIONS } from '../../src/store/collections';
import { TenantDbs } from '../../src/store/mongo';
import { ACCOUNT_LINKS, type AccountLinkDoc } from '../../src/store/account-links';
import { ShadowEpochs } from '../../src/store/shadow-epochs';
import type { ShadowDoc } from '../../src/store/shadows';
import { deleteSubtree } from '../integration/connectors/ldap-support';
import { changePerson, createPerson, createResource, directoryApplication, ldapConnector, members, people, profile, provision, provTree, type Person, type ProvTree } from './provisioning-support';

/**
 * The basis of an account check (src/engine/outbound/basis.ts): a run skips an account whose object, target
 * configuration and shadow epoch are those of its last check, and whose entry in the directory is as recorded,
 * without reading its object or evaluating a rule; it checks it again as soon as any of them changed or when its
 * rules read the clock. "Not read" is shown by an IDM object altered in the database behind the service's back,
 * its version left as it was: a check would map the altered value and write it to the directory, a skip leaves the
 * directory as it is.
 */
describe('provisioning skips accounts unchanged since their last check', () => {
  const ldap = testEnv().ldap;
  const settings = testSettings({ PAGE_SIZE: '2' });
  const tenant = uniqueTenant('basis');
  const mongo = new MongoClient(settings.MONGODB_URI);
  let db: Db;
  let api: TestApi;
  let worker: TestWorker;
  let tree: ProvTree;
  const byLogin = new Map<string, Person>();
  const dn = (login: string) => `uid=${login},${tree.people}`.toLowerCase();

  const links = async () => db.collection<AccountLinkDoc>(ACCOUNT_LINKS).find({}).sort({ objectId: 1 }).toArray();
  const shadowOf = async (login: string) => {
    const link = (await links()).find((l) => l.objectId === byLogin.get(login)!.id)!;
    return (await db.collection<ShadowDoc>(COLLECTIONS.shadows).findOne({ _id: link.shadowId }))!;
  };
  /** Alters an object's email without raising its version: only a check reads it, and writes it as the account's mail. */
  const tamper = async (login: string, email: string) => {
    await db.collection(COLLECTIONS.idmObjects).updateOne({ _id: byLogin.get(login)!.id as never }, { $set: { 'attributes.email': email } });
  };
  const recordedMail = async (login: string) => (await shadowOf(login)).attributes?.mail;
  const directoryMail = async (login: string) => (await people(ldap, tree)).get(dn(login))?.mail;
  const putApplication = async (app: Record<string, unknown>) => {
    const current = (await api.req('GET', `/${tenant}/api/sync/conf/applications/dir`)).json as { version: number };
    const r = await api.req('PUT', `/${tenant}/api/sync/conf/applications/dir`, { ...app, version: current.version });
    expect(r.status).toBe(200);
  };

  beforeAll(async () => {
    [api, worker, tree] = await Promise.all([startTestApi(settings), startTestWorker(settings), provTree(ldap, ['staff'])]);
    db = new TenantDbs(mongo, settings.MONGODB_DB_PREFIX).db(tenant);
    await createResource(api, tenant, 'connector-definitions', ldapConnector('dir-ldap', ldap, tree));
    await createResource(api, tenant, 'applications', directoryApplication('dir', 'dir-ldap', tree));
    await createResource(api, tenant, 'application-profiles', profile('staff', 'dir', ['employee'], [tree.group('staff')]));
    await createResource(api, tenant, 'prov-task-definitions', { id: 'dir-prov', scope: { kind: 'IDENTITY' }, sortExpression: 'login,DESC', applicationIds: ['dir'] });
    for (const login of ['amartin', 'bbernard', 'cdubois'])
      byLogin.set(login, await createPerson(api, tenant, 'employee', { login, firstName: login, lastName: login.toUpperCase(), department: 'Sales', email: `${login}@example.com` }));
    const first = await provision(api, tenant, 'dir-prov');
    expect(first.statistics.actions).toEqual({ ACCOUNT_CREATED: 3, MEMBERSHIP_ADDED: 3, DIRECTORY_WRITES: 6 });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await mongo.close();
    if (tree) await deleteSubtree(ldap, tree.base);
  });

  it('records on each link the basis of its check: configuration hash, epoch 0, object version', async () => {
    const all = await links();
    expect(all).toHaveLength(3);
    for (const l of all) {
      const person = [...byLogin.values()].find((p) => p.id === l.objectId)!;
      const stored = (await db.collection<{ _id: string; createdAt: string }>(COLLECTIONS.idmObjects).findOne({ _id: person.id }))!;
      expect(l.basis).toMatch(/^[A-Za-z0-9_-]{43}\.0\|/);
      expect(l.basis!.endsWith(`|${stored.createdAt}#1`)).toBe(true);
    }
    expect(new Set(all.map((l) => l.basis!.split('|')[0])).size).toBe(1);
  });

  it('a second run skips every account: UNCHANGED, no directory write, the altered object not even read', async () => {
    await tamper('amartin', 'tampered@example.com');
    const before = await people(ldap, tree);
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ UNCHANGED: 3, DIRECTORY_WRITES: 0 });
    expect(await recordedMail('amartin')).toBe('amartin@example.com');
    expect(await people(ldap, tree)).toEqual(before);
  });

  it('a changed object is checked again (and only it); its new version is recorded', async () => {
    await tamper('bbernard', 'tampered@example.com');
    const changed = await changePerson(api, tenant, byLogin.get('amartin')!.id, (p) => ({ attributes: { ...p.attributes, department: 'Finance' } }));
    const done = await provision(api, tenant, 'dir-prov');
    // amartin: its object now says mail "tampered" and department Finance, written in one update
    expect(done.statistics.actions).toEqual({ ACCOUNT_UPDATED: 1, UNCHANGED: 2, DIRECTORY_WRITES: 1 });
    expect(await directoryMail('amartin')).toEqual(['tampered@example.com']);
    expect(await directoryMail('bbernard')).toEqual(['bbernard@example.com']);
    expect((await people(ldap, tree)).get(dn('amartin'))?.departmentNumber).toEqual(['Finance']);
    const link = (await links()).find((l) => l.objectId === changed.id)!;
    expect(link.basis!.endsWith(`#${changed.version}`)).toBe(true);
  });

  it('a synchronization that changed shadows of the application (a new epoch) makes every account checked', async () => {
    await new ShadowEpochs(db).raise('dir');
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ ACCOUNT_UPDATED: 1, UNCHANGED: 2, DIRECTORY_WRITES: 1 });
    expect(await directoryMail('bbernard')).toEqual(['tampered@example.com']);
    for (const l of await links()) expect(l.basis).toMatch(/^[A-Za-z0-9_-]{43}\.1\|/);
  });

  it('a configuration change makes every account checked and recorded under the new configuration', async () => {
    const oldHash = (await links())[0]!.basis!.split('.')[0];
    await tamper('cdubois', 'tampered@example.com');
    await putApplication({ ...directoryApplication('dir', 'dir-ldap', tree), name: 'Directory (renamed)' });
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ ACCOUNT_UPDATED: 1, UNCHANGED: 2, DIRECTORY_WRITES: 1 });
    expect(await recordedMail('cdubois')).toBe('tampered@example.com');
    const hashes = new Set((await links()).map((l) => l.basis!.split('.')[0]));
    expect(hashes.size).toBe(1);
    expect(hashes.has(oldHash)).toBe(false);
  });

  it('an account deleted or changed by hand in the directory is found by the next run, re-created or repaired', async () => {
    const client = new Client({ url: ldap.url });
    try {
      await client.bind(ldap.bindDn, ldap.bindPassword);
      await client.del(`uid=bbernard,${tree.people}`);
      await client.modify(`uid=cdubois,${tree.people}`, [new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['byhand@example.com'] }) })]);
    } finally {
      await client.unbind();
    }
    const wanted = { bbernard: await recordedMail('bbernard'), cdubois: await recordedMail('cdubois') };
    const repaired = await provision(api, tenant, 'dir-prov');
    expect(repaired.statistics.actions).toEqual({ ACCOUNT_CREATED: 1, MEMBERSHIP_ADDED: 1, ACCOUNT_UPDATED: 1, UNCHANGED: 1, DIRECTORY_WRITES: 3 });
    expect(await directoryMail('bbernard')).toEqual([wanted.bbernard]);
    expect(await directoryMail('cdubois')).toEqual([wanted.cdubois]);
    expect(await members(ldap, tree.group('staff'))).toEqual(['amartin', 'bbernard', 'cdubois'].map(dn));
    const again = await provision(api, tenant, 'dir-prov');
    expect(again.statistics.actions).toEqual({ UNCHANGED: 3, DIRECTORY_WRITES: 0 });
  });

  it('accounts whose rules read the clock get no basis and are checked on every run', async () => {
    const app = directoryApplication('dir', 'dir-ldap', tree);
    const mapping = app.schemaMappingDefinition.objectSchemaMappingDefinitions[0]!;
    const clocked = { applicationAttributeId: 'description', custom: { computeRule: { script: "return Date.now() > 0 ? 'checked' : null;" } } };
    await putApplication({ ...app, schemaMappingDefinition: { objectSchemaMappingDefinitions: [{ ...mapping, outboundAttributeMappings: [...mapping.outboundAttributeMappings, clocked] }] } });
    const first = await provision(api, tenant, 'dir-prov');
    expect(first.statistics.actions).toEqual({ ACCOUNT_UPDATED: 3, DIRECTORY_WRITES: 3 });
    for (const l of await links()) expect(l.basis).toBeUndefined();
    await tamper('amartin', 'clocked@example.com');
    const second = await provision(api, tenant, 'dir-prov');
    expect(second.statistics.actions).toEqual({ ACCOUNT_UPDATED: 1, UNCHANGED: 2, DIRECTORY_WRITES: 1 });
    expect(await recordedMail('amartin')).toBe('clocked@example.com');
    expect((await people(ldap, tree)).get(dn('amartin'))?.description).toEqual(['checked']);
  });
});
