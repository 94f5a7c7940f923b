import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { TenantDbs } from '../../src/store/mongo';
import { COLLECTIONS } from '../../src/store/collections';
import { runWorkflowId } from '../../src/temporal/ids';
import { deleteSubtree } from '../integration/connectors/ldap-support';
import {
  changePerson,
  createPerson,
  createResource,
  directoryApplication,
  ldapConnector,
  members,
  people,
  profile,
  provision,
  provTree,
  type Person,
  type ProvTree,
} from './provisioning-support';

/**
 * Provisioning through REST against the test slapd, each step checked in the directory with ldapsearch:
 * creation, a second run writing nothing, changed-only updates, renames, deprovisioning (type change, soft
 * delete, deletion), and the run controls.
 */
describe('provisioning runs (IDM → LDAP)', () => {
  const ldap = testEnv().ldap;
  const settings = testSettings({ PAGE_SIZE: '2' }); // several pages for 5 objects
  const tenant = uniqueTenant('prov');
  let api: TestApi;
  let worker: TestWorker;
  let tree: ProvTree;
  const byLogin = new Map<string, Person>();
  const dn = (login: string) => `uid=${login},${tree.people}`.toLowerCase();

  beforeAll(async () => {
    [api, worker, tree] = await Promise.all([startTestApi(settings), startTestWorker(settings), provTree(ldap, ['staff', 'engineers', 'partners'])]);
    await createResource(api, tenant, 'connector-definitions', ldapConnector('dir-ldap', ldap, tree, { disableStrategy: { attribute: 'employeeType', disabledValue: 'disabled', enabledValue: 'active' } }));
    await createResource(api, tenant, 'applications', directoryApplication('dir', 'dir-ldap', tree));
    await createResource(api, tenant, 'application-profiles', profile('staff', 'dir', ['employee'], [tree.group('staff')]));
    await createResource(api, tenant, 'application-profiles', {
      ...profile('engineering', 'dir', ['employee'], [tree.group('engineers')]),
      objectMatchingCondition: { objectKind: 'IDENTITY', objectTypes: ['employee'], simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'department', regex: '^Engineering$' } },
    });
    await createResource(api, tenant, 'application-profiles', profile('partners', 'dir', ['partner'], [tree.group('partners')], { deprovisioningAction: 'INACTIVATE_ACCOUNT' }));
    await createResource(api, tenant, 'prov-task-definitions', { id: 'dir-prov', scope: { kind: 'IDENTITY' }, sortExpression: 'login,ASC', applicationIds: ['dir'] });
    const rows: Array<[string, string, string, string, string]> = [
      ['amartin', 'Alice', 'Martin', 'Executive', 'employee'],
      ['bbernard', 'Bruno', 'Bernard', 'Engineering', 'employee'],
      ['cdubois', 'Claire', 'Dubois', 'Engineering', 'employee'],
      ['dthomas', 'David', 'Thomas', 'Finance', 'employee'],
      ['erobert', 'Émilie', 'Robert', 'Consulting', 'partner'],
    ];
    for (const [login, firstName, lastName, department, type] of rows)
      byLogin.set(login, await createPerson(api, tenant, type, { login, firstName, lastName, department, email: `${login}@example.com` }));
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    if (tree) await deleteSubtree(ldap, tree.base);
  });

  it('first run creates the accounts with their DN, object classes, attributes and group memberships', async () => {
    const done = await provision(api, tenant, 'dir-prov');
    expect(done).toEqual(expect.objectContaining({ provisioningTaskId: 'dir-prov', taskType: 'PROVISIONING', outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: 5, numberOfProcessedEntries: 5, numberOfErrors: 0, progressPercentage: 100 }));
    // staff ×4, engineers ×2, partners ×1; per account: one create, its memberships
    expect(done.statistics.actions).toEqual({ ACCOUNT_CREATED: 5, MEMBERSHIP_ADDED: 7, DIRECTORY_WRITES: 12 });
    expect(done.errorDetails).toEqual([]);

    const entries = await people(ldap, tree);
    expect([...entries.keys()].sort()).toEqual(['amartin', 'bbernard', 'cdubois', 'dthomas', 'erobert'].map(dn));
    const claire = entries.get(dn('cdubois'))!;
    expect(claire.objectClass!.map((c) => c.toLowerCase()).sort()).toEqual(['inetorgperson', 'organizationalperson', 'person']);
    expect({ uid: claire.uid, cn: claire.cn, sn: claire.sn, givenName: claire.givenName, mail: claire.mail, departmentNumber: claire.departmentNumber }).toEqual({
      uid: ['cdubois'],
      cn: ['Claire Dubois'],
      sn: ['Dubois'],
      givenName: ['Claire'],
      mail: ['cdubois@example.com'],
      departmentNumber: ['Engineering'],
    });
    expect(entries.get(dn('erobert'))!.cn).toEqual(['Émilie Robert']);
    expect(await members(ldap, tree.group('staff'))).toEqual(['amartin', 'bbernard', 'cdubois', 'dthomas'].map(dn));
    expect(await members(ldap, tree.group('engineers'))).toEqual(['bbernard', 'cdubois'].map(dn));
    expect(await members(ldap, tree.group('partners'))).toEqual([dn('erobert')]);
  });

  it('a second run with no change writes nothing to the directory', async () => {
    const before = await people(ldap, tree);
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.outcomeStatus).toBe('SUCCESS');
    expect(done.statistics.actions).toEqual({ UNCHANGED: 5, DIRECTORY_WRITES: 0 });
    expect(await people(ldap, tree)).toEqual(before);
  });

  it('a changed IDM attribute updates exactly that attribute', async () => {
    const before = await people(ldap, tree);
    await changePerson(api, tenant, byLogin.get('dthomas')!.id, (p) => ({ attributes: { ...p.attributes, email: 'david.thomas@example.org' } }));
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ ACCOUNT_UPDATED: 1, UNCHANGED: 4, DIRECTORY_WRITES: 1 });
    const after = await people(ldap, tree);
    expect(after.get(dn('dthomas'))).toEqual({ ...before.get(dn('dthomas')), mail: ['david.thomas@example.org'] });
    for (const login of ['amartin', 'bbernard', 'cdubois', 'erobert']) expect(after.get(dn(login))).toEqual(before.get(dn(login)));
  });

  it('a change of the attribute the DN is computed from renames the entry; its memberships follow', async () => {
    await changePerson(api, tenant, byLogin.get('cdubois')!.id, (p) => ({ attributes: { ...p.attributes, login: 'cdubois2' } }));
    const done = await provision(api, tenant, 'dir-prov');
    // the rename, and the `uid` attribute mapped from the same IDM attribute
    expect(done.statistics.actions).toEqual({ ACCOUNT_RENAMED: 1, ACCOUNT_UPDATED: 1, UNCHANGED: 4, DIRECTORY_WRITES: 1 });
    const entries = await people(ldap, tree);
    expect(entries.has(dn('cdubois'))).toBe(false);
    expect(entries.get(dn('cdubois2'))).toEqual(expect.objectContaining({ uid: ['cdubois2'], cn: ['Claire Dubois'], mail: ['cdubois@example.com'] }));
    expect(await members(ldap, tree.group('staff'))).toEqual(['amartin', 'bbernard', 'cdubois2', 'dthomas'].map(dn));
    expect(await members(ldap, tree.group('engineers'))).toEqual(['bbernard', 'cdubois2'].map(dn));
  });

  it('an object leaving every profile (type change) loses its account and memberships (REMOVE_ACCOUNT)', async () => {
    await changePerson(api, tenant, byLogin.get('bbernard')!.id, () => ({ type: 'visitor' }));
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ MEMBERSHIP_REMOVED: 2, ACCOUNT_DELETED: 1, UNCHANGED: 4, DIRECTORY_WRITES: 3 });
    expect((await people(ldap, tree)).has(dn('bbernard'))).toBe(false);
    expect(await members(ldap, tree.group('staff'))).toEqual(['amartin', 'cdubois2', 'dthomas'].map(dn));
    expect(await members(ldap, tree.group('engineers'))).toEqual([dn('cdubois2')]);
  });

  it('a soft-deleted object has its account disabled (INACTIVATE_ACCOUNT) and out of its groups', async () => {
    await changePerson(api, tenant, byLogin.get('erobert')!.id, () => ({ lifecycleState: 'SOFT_DELETED' }));
    const done = await provision(api, tenant, 'dir-prov');
    expect(done.statistics.actions).toEqual({ MEMBERSHIP_REMOVED: 1, ACCOUNT_DISABLED: 1, UNCHANGED: 4, DIRECTORY_WRITES: 2 });
    const entry = (await people(ldap, tree)).get(dn('erobert'));
    expect(entry?.employeeType).toEqual(['disabled']);
    expect(await members(ldap, tree.group('partners'))).toEqual([]);
    // Disabled and out of its groups is the final state: the next run has nothing to write for it.
    const again = await provision(api, tenant, 'dir-prov');
    expect(again.statistics.actions).toEqual({ UNCHANGED: 5, DIRECTORY_WRITES: 0 });
  });

  it('an object deleted from the repository has its account removed (orphan phase, counted in the total)', async () => {
    expect((await api.req('DELETE', `/${tenant}/api/idm/objects/${byLogin.get('dthomas')!.id}`)).status).toBe(204);
    const done = await provision(api, tenant, 'dir-prov');
    expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: 5, numberOfProcessedEntries: 5 }));
    expect(done.statistics.actions).toEqual({ MEMBERSHIP_REMOVED: 1, ACCOUNT_DELETED: 1, UNCHANGED: 4, DIRECTORY_WRITES: 2 });
    expect([...(await people(ldap, tree)).keys()].sort()).toEqual(['amartin', 'cdubois2', 'erobert'].map(dn));
    expect(await members(ldap, tree.group('staff'))).toEqual(['amartin', 'cdubois2'].map(dn));
  });

  it('launching while a run is going is 409; cancel is idempotent (200 twice, and after completion)', async () => {
    const { id, path } = await launch(api, tenant, 'prov-tasks', 'dir-prov');
    // Paused before its first page, the run is surely still going when the second launch comes.
    expect((await api.req('POST', `${path}/~pause`)).status).toBe(200);
    await waitForRun(api, path, (p) => p.progressStatus === 'PAUSED');
    const second = await api.req('POST', `/${tenant}/api/sync/prov-tasks/dir-prov/instances`);
    expect(second.status).toBe(409);
    expect((await api.req('POST', `${path}/~cancel`)).status).toBe(200);
    expect((await api.req('POST', `${path}/~cancel`)).status).toBe(200);
    const done = await waitForRun(api, path);
    expect(done).toEqual(expect.objectContaining({ id, outcomeStatus: 'ABORTED', progressStatus: 'COMPLETED' }));
    expect((await api.req('POST', `${path}/~cancel`)).status).toBe(200);
    const after = await provision(api, tenant, 'dir-prov');
    expect(after.outcomeStatus).toBe('SUCCESS');
    expect((await api.req('POST', `/${tenant}/api/sync/prov-tasks/dir-prov/instances/${after.id}/~cancel`)).status).toBe(200);
    const history = await api.req('GET', `/${tenant}/api/sync/prov-tasks/dir-prov/instances`);
    expect(history.json.map((r: { outcomeStatus: string }) => r.outcomeStatus).slice(0, 2)).toEqual(['SUCCESS', 'ABORTED']);
  });

  it('a launch while the run shown COMPLETED still closes its workflow waits for it and starts (not 409)', async () => {
    const first = await launch(api, tenant, 'prov-tasks', 'dir-prov');
    expect((await api.req('POST', `${first.path}/~pause`)).status).toBe(200);
    await waitForRun(api, first.path, (p) => p.progressStatus === 'PAUSED');
    // The moment between the last activity (the run shows COMPLETED) and the workflow's end, held open by the pause.
    // The workflow is then ended by Temporal directly, not resumed: a resumed run would write RUNNING again, and a
    // launch reading that would rightly answer 409. Ended before, during or after the launch's wait, the answer is 200.
    const client = new MongoClient(settings.MONGODB_URI);
    const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS });
    try {
      const runs = new TenantDbs(client, settings.MONGODB_DB_PREFIX).db(tenant).collection(COLLECTIONS.taskRuns);
      await runs.updateOne({ _id: first.id as never }, { $set: { progressStatus: 'COMPLETED' } });
      const second = api.req('POST', `/${tenant}/api/sync/prov-tasks/dir-prov/instances`);
      // Gives the launch time to find the workflow still open, so that the wait is what is usually exercised.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const workflow = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE }).workflow.getHandle(runWorkflowId('PROVISIONING', tenant, 'dir-prov'));
      await workflow.terminate('the test closes the workflow of a run shown COMPLETED');
      const started = await second;
      expect(started.status).toBe(200);
      expect(started.text).not.toBe(first.id);
      const done = await waitForRun(api, `/${tenant}/api/sync/prov-tasks/dir-prov/instances/${started.text}`);
      expect(done.outcomeStatus).toBe('SUCCESS');
    } finally {
      await client.close();
      await connection.close();
    }
  });
});
