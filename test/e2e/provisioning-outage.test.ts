import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, type ManagedProcess } from '../../src/embedded/process';
import { startSlapd, type SlapdInfo } from '../../src/embedded/slapd';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { createPerson, createResource, directoryApplication, ldapConnector, members, people, profile, provision, provTree, type ProvTree } from './provisioning-support';

/**
 * A slapd of the test's own, stopped in the middle of a provisioning run: the writes retry as the connector's
 * retryPolicy says, then fail as entries (the run goes on and ends PARTIAL, the failures listed); once slapd is
 * back, the next run creates exactly the missing accounts.
 */
describe('provisioning while the directory goes down', () => {
  const N = 40; // 20 pages: the pause lands somewhere in the middle
  const settings = testSettings({ PAGE_SIZE: '2' });
  const tenant = uniqueTenant('provdown');
  const dir = path.join(testEnv().varDir, `prov-slapd-${randomBytes(3).toString('hex')}`);
  const logins = Array.from({ length: N }, (_, i) => `user${String(i + 1).padStart(2, '0')}`);
  let proc: ManagedProcess | undefined;
  let ldap: SlapdInfo;
  let port: number;
  let api: TestApi;
  let worker: TestWorker;
  let tree: ProvTree;
  const startDirectory = async (fresh: boolean) => {
    const started = await startSlapd({ port, dir, logDir: dir, fresh });
    proc = started.proc;
    ldap = started.info;
  };

  beforeAll(async () => {
    port = await freePort();
    await startDirectory(true);
    [api, worker, tree] = await Promise.all([startTestApi(settings), startTestWorker(settings), provTree(ldap, ['staff'])]);
    const retryPolicy = { maxAttempts: 2, initialIntervalMs: 100, backoffCoefficient: 2, maxIntervalMs: 1000 };
    await createResource(api, tenant, 'connector-definitions', ldapConnector('down-ldap', ldap, tree, { connectTimeoutMs: 500, operationTimeoutMs: 2000 }, retryPolicy));
    await createResource(api, tenant, 'applications', directoryApplication('down-dir', 'down-ldap', tree));
    await createResource(api, tenant, 'application-profiles', profile('down-staff', 'down-dir', ['employee'], [tree.group('staff')]));
    await createResource(api, tenant, 'prov-task-definitions', { id: 'down-prov', scope: { type: 'employee' }, sortExpression: 'login,ASC' });
    for (const login of logins) await createPerson(api, tenant, 'employee', { login, firstName: login, lastName: 'Doe', email: `${login}@example.com` });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await proc?.stop();
  });

  it('failed writes are listed with their cause, the run is PARTIAL, and a later run completes them with nothing lost', async () => {
    const { path: p } = await launch(api, tenant, 'prov-tasks', 'down-prov');
    // Paused once the first page is done, so slapd stops at a known point: between pages.
    await waitForRun(api, p, (x) => x.numberOfProcessedEntries >= 1 || x.progressStatus === 'COMPLETED');
    expect((await api.req('POST', `${p}/~pause`)).status).toBe(200);
    const paused = await waitForRun(api, p, (x) => x.progressStatus === 'PAUSED');
    const doneBefore = paused.numberOfProcessedEntries;
    expect(doneBefore).toBeGreaterThanOrEqual(2);
    expect(doneBefore).toBeLessThan(N);
    await proc!.stop();
    expect((await api.req('POST', `${p}/~resume`)).status).toBe(200);

    const failed = await waitForRun(api, `${p}?option=expandErrorDetails:true`);
    expect(failed).toEqual(expect.objectContaining({ outcomeStatus: 'PARTIAL', numberOfEntriesToProcess: N, numberOfProcessedEntries: N, numberOfErrors: N - doneBefore }));
    expect(failed.statistics.actions).toEqual({
      ACCOUNT_CREATED: doneBefore,
      MEMBERSHIP_ADDED: doneBefore,
      // per failed entry: one create, tried twice (maxAttempts 2)
      DIRECTORY_WRITES: 2 * doneBefore + 2 * (N - doneBefore),
    });
    const errors = failed.errorDetails!;
    expect(errors).toHaveLength(N - doneBefore);
    for (const e of errors) {
      expect(e.label).toBe('CONNECTOR_ERROR');
      expect(e.description).toMatch(/server unreachable or connection lost.*gave up after 2 attempts/);
      expect(e.properties).toEqual(expect.objectContaining({ kind: 'retryable', code: 'ECONNREFUSED', applicationId: 'down-dir', name: expect.stringMatching(/^uid=user\d\d,ou=people,/) }));
      expect(e.properties).toEqual(expect.objectContaining({ shadowKind: 'ACCOUNT', objectClassId: 'inetOrgPerson', idmObjectKind: 'IDENTITY' }));
      expect(e.properties.idmObjectId).toEqual(expect.any(String));
    }
    const failedNames = errors.map((e) => String(e.properties.name).toLowerCase()).sort();
    expect(failedNames).toEqual(logins.slice(doneBefore).map((l) => `uid=${l},${tree.people}`.toLowerCase()));

    await startDirectory(false);
    const again = await provision(api, tenant, 'down-prov');
    expect(again.outcomeStatus).toBe('SUCCESS');
    expect(again.statistics.actions).toEqual({ ACCOUNT_CREATED: N - doneBefore, MEMBERSHIP_ADDED: N - doneBefore, UNCHANGED: doneBefore, DIRECTORY_WRITES: 2 * (N - doneBefore) });
    const all = logins.map((l) => `uid=${l},${tree.people}`.toLowerCase());
    expect([...(await people(ldap, tree)).keys()].sort()).toEqual(all);
    expect(await members(ldap, tree.group('staff'))).toEqual(all);
  });
});
