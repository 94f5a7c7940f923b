import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { projectRoot } from '../../src/embedded/paths';
import { TenantDbs } from '../../src/store/mongo';
import { ShadowEpochs } from '../../src/store/shadow-epochs';
import type { TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import type { TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { startExampleTenant } from '../harness/example-tenant';

const root = projectRoot();

describe('synchronization runs through REST (CSV)', () => {
  const settings = testSettings({ PAGE_SIZE: '7' });
  const tenant = uniqueTenant('sync');
  let csvPath: string;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    ({ api, worker, csvPath } = await startExampleTenant(settings, tenant));
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  /** The shadow epochs (store/shadow-epochs.ts) of the tenant's applications. */
  const epochs = async () => {
    const client = new MongoClient(settings.MONGODB_URI);
    try {
      return await new ShadowEpochs(new TenantDbs(client, settings.MONGODB_DB_PREFIX).db(tenant)).get(['hr', 'directory']);
    } finally {
      await client.close();
    }
  };

  const objects = async () => {
    const r = await api.req('GET', `/${tenant}/api/idm/objects?limit=1000`);
    return r.json as Array<{ id: string; type: string; lifecycleState: string; attributes: Record<string, unknown> }>;
  };

  it('IMPORT creates one IDM object per row, with exact progress and statistics', async () => {
    const { id, path: p } = await launch(api, tenant, 'sync-tasks', 'hr-import');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const done = await waitForRun(api, p);
    expect(done).toEqual(
      expect.objectContaining({
        id,
        synchronizationTaskId: 'hr-import',
        taskType: 'IMPORT',
        progressStatus: 'COMPLETED',
        outcomeStatus: 'SUCCESS',
        numberOfEntriesToProcess: 20,
        numberOfProcessedEntries: 20,
        numberOfErrors: 0,
        progressPercentage: 100,
        jobId: `sync/${tenant}/hr-import`,
      }),
    );
    expect(done.statistics.situations).toEqual({ UNMATCHED: 20 });
    expect(done.statistics.actions).toEqual({ ADD_IDM_OBJECT: 20 });
    expect(done).not.toHaveProperty('errorDetails');
    const all = await objects();
    expect(all).toHaveLength(20);
    // every page wrote shadows (3 pages of at most 7): each raised the application's shadow epoch once
    expect((await epochs()).get('hr')).toBeGreaterThanOrEqual(3);
    expect(all.filter((o) => o.type === 'employee')).toHaveLength(15);
    expect(all.filter((o) => o.type === 'partner')).toHaveLength(5);
  });

  it('RECONCILIATION of a changed file: updates, adds, inactivates the deleted, leaves the rest', async () => {
    const lines = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
    const changed = lines
      .filter((l) => !l.startsWith('E1015,')) // deleted employee
      .map((l) => (l.startsWith('E1002,') ? l.replace('Finance', 'Treasury') : l));
    changed.push('E1016,Zoé,Lefèvre,zoe.lefevre@example.com,Engineering,employee,E1004');
    writeFileSync(csvPath, changed.join('\n') + '\n');

    const epochBefore = (await epochs()).get('hr')!;
    const { path: p } = await launch(api, tenant, 'sync-tasks', 'hr-reconciliation');
    const done = await waitForRun(api, `${p}?option=expandErrorDetails:true`);
    expect(done.outcomeStatus).toBe('SUCCESS');
    expect((await epochs()).get('hr')).toBeGreaterThan(epochBefore);
    expect(done.numberOfEntriesToProcess).toBe(21); // 20 rows + 1 shadow found deleted
    expect(done.numberOfProcessedEntries).toBe(21);
    expect(done.statistics.situations).toEqual({ LINKED: 19, UNMATCHED: 1, DELETED: 1 });
    expect(done.statistics.actions).toEqual({ SYNCHRONIZE_IDM_OBJECT: 19, ADD_IDM_OBJECT: 1, INACTIVATE_IDM_OBJECT: 1 });
    expect(done.errorDetails).toEqual([]);

    const all = await objects();
    expect(all).toHaveLength(21);
    const byNumber = new Map(all.map((o) => [o.attributes.employeeNumber, o]));
    expect(byNumber.get('E1002')!.attributes.department).toBe('Treasury');
    expect(byNumber.get('E1015')!.lifecycleState).toBe('INACTIVE');
    expect(byNumber.get('E1016')!.attributes.lastName).toBe('Lefèvre');
    expect(byNumber.get('E1001')!.lifecycleState).toBe('ACTIVE');

    // A finished run leaves no bookkeeping behind: its seen marks and page journal are gone.
    const client = new MongoClient(settings.MONGODB_URI);
    try {
      const db = new TenantDbs(client, settings.MONGODB_DB_PREFIX).db(tenant);
      const collections = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(collections.filter((c) => c.startsWith('seenMarks_') || c.startsWith('pageJournal'))).toEqual([]);
      expect(collections).toContain('shadows');
    } finally {
      await client.close();
    }
  });

  it('keeps the history of a definition and of all definitions, newest first', async () => {
    const hist = await api.req('GET', `/${tenant}/api/sync/sync-tasks/hr-import/instances`);
    expect(hist.status).toBe(200);
    expect(hist.json).toHaveLength(1);
    const all = await api.req('GET', `/${tenant}/api/sync/sync-tasks/~instances`);
    expect(all.json.map((r: { synchronizationTaskId: string }) => r.synchronizationTaskId)).toEqual(['hr-reconciliation', 'hr-import']);
    expect((await api.req('GET', `/${tenant}/api/sync/sync-tasks/nope/instances`)).status).toBe(404);
    expect((await api.req('POST', `/${tenant}/api/sync/sync-tasks/nope/instances`)).status).toBe(404);
    expect((await api.req('GET', `/${tenant}/api/sync/sync-tasks/hr-import/instances/nope`)).status).toBe(404);
  });

  it('a run whose source is missing ends FAILURE with a clear error', async () => {
    const other = uniqueTenant('nofile');
    mkdirSync(path.join(settings.dataDirAbs, other), { recursive: true }); // the tenant's directory, without hr.csv
    await api.req('POST', `/${other}/api/sync/conf/dataset/import`, readFileSync(path.join(root, 'examples/dataset.xml'), 'utf8'), { 'content-type': 'application/xml' });
    const { path: p } = await launch(api, other, 'sync-tasks', 'hr-import');
    const done = await waitForRun(api, `${p}?option=expandErrorDetails:true`);
    expect(done.outcomeStatus).toBe('FAILURE');
    expect(done.numberOfErrors).toBe(1);
    expect(done.errorDetails![0]!.description).toMatch(/hr\.csv/);
  });
});
