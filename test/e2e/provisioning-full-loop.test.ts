import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/embedded/paths';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { deleteSubtree } from '../integration/connectors/ldap-support';
import { members, people, provision, provTree, type ProvTree } from './provisioning-support';

const root = projectRoot();

/**
 * The whole loop with the examples' configuration: the HR CSV imported into the IDM repository (inbound), then the
 * `directory-provisioning` task provisions those identities into LDAP (outbound). The dataset is the example one,
 * pointed at the test slapd and at a subtree of this test's own.
 */
describe('full loop: HR CSV → IDM → LDAP', () => {
  const ldap = testEnv().ldap;
  const settings = testSettings({ PAGE_SIZE: '7' });
  const tenant = uniqueTenant('loop');
  let api: TestApi;
  let worker: TestWorker;
  let tree: ProvTree;

  beforeAll(async () => {
    mkdirSync(path.join(settings.dataDirAbs, tenant), { recursive: true });
    copyFileSync(path.join(root, 'examples/data/hr.csv'), path.join(settings.dataDirAbs, tenant, 'hr.csv'));
    [api, worker, tree] = await Promise.all([startTestApi(settings), startTestWorker(settings), provTree(ldap, ['staff'])]);
    const dataset = readFileSync(path.join(root, 'examples/dataset.xml'), 'utf8')
      .replaceAll('ldap://127.0.0.1:3389', ldap.url)
      .replaceAll('ou=people,dc=example,dc=com', tree.people)
      .replaceAll('ou=groups,dc=example,dc=com', tree.groups);
    const imported = await api.req('POST', `/${tenant}/api/sync/conf/dataset/import`, dataset, { 'content-type': 'application/xml' });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    if (tree) await deleteSubtree(ldap, tree.base);
  });

  it('imports the 20 HR rows, provisions 20 directory accounts in the staff group, then has nothing left to write', async () => {
    const { path: importPath } = await launch(api, tenant, 'sync-tasks', 'hr-import');
    const imported = await waitForRun(api, importPath);
    expect(imported.outcomeStatus).toBe('SUCCESS');
    expect(imported.statistics.actions).toEqual({ ADD_IDM_OBJECT: 20 });

    const first = await provision(api, tenant, 'directory-provisioning');
    expect(first).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: 20, numberOfProcessedEntries: 20, numberOfErrors: 0 }));
    expect(first.statistics.actions).toEqual({ ACCOUNT_CREATED: 20, MEMBERSHIP_ADDED: 20, DIRECTORY_WRITES: 40 });

    const csv = readFileSync(path.join(root, 'examples/data/hr.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const entries = await people(ldap, tree);
    const expectedDns = csv.map(([number]) => `uid=${number},${tree.people}`.toLowerCase()).sort();
    expect([...entries.keys()].sort()).toEqual(expectedDns);
    for (const [number, firstName, lastName, email, department] of csv) {
      const e = entries.get(`uid=${number},${tree.people}`.toLowerCase())!;
      expect({ uid: e.uid, cn: e.cn, sn: e.sn, givenName: e.givenName, mail: e.mail, employeeNumber: e.employeeNumber, departmentNumber: e.departmentNumber }).toEqual({
        uid: [number],
        cn: [`${firstName} ${lastName}`],
        sn: [lastName],
        givenName: [firstName],
        mail: [email!.toLowerCase()],
        employeeNumber: [number],
        departmentNumber: [department],
      });
    }
    expect(await members(ldap, tree.group('staff'))).toEqual(expectedDns);

    const second = await provision(api, tenant, 'directory-provisioning');
    expect(second.outcomeStatus).toBe('SUCCESS');
    expect(second.statistics.actions).toEqual({ UNCHANGED: 20, DIRECTORY_WRITES: 0 });
    // The task's post-processing (directory-report): a run report and an error report with no error.
    const reports = path.join(settings.dataDirAbs, tenant, 'reports', 'directory-provisioning');
    for (const run of [first, second]) {
      const report = JSON.parse(readFileSync(path.join(reports, `${run.id}-report.json`), 'utf8'));
      expect(report).toEqual(expect.objectContaining({ id: run.id, provisioningTaskId: 'directory-provisioning', outcomeStatus: 'SUCCESS', numberOfProcessedEntries: 20, statistics: run.statistics }));
      expect(readFileSync(path.join(reports, `${run.id}-errors.csv`), 'utf8')).toBe('IDM_OBJECT_ID,SHADOW_ID,ERROR_LABEL,ERROR_DESCRIPTION\r\n');
    }
    // For the report: the cost of a run that creates everything vs one that finds nothing to do.
    process.stdout.write(`full loop: first provisioning ${first.processingTimeMillis} ms, second ${second.processingTimeMillis} ms for 20 accounts\n`);
  });
});
