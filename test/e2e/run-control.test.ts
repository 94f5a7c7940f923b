import path from 'node:path';
import { startTestApi, type TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { createBulkHrConfig, writeHrCsv } from '../harness/bulk-hr';

const ROWS = 1000;

/** Launch conflicts, pause/resume, cancel and continue-as-new on a run long enough to act on mid-way (50 pages). */
describe('run control through REST', () => {
  const settings = testSettings({ PAGE_SIZE: '20' });
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startTestApi(settings), startTestWorker(settings)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  /** A run shows COMPLETED from its last activity, a moment before its workflow closes. */
  async function waitForClosed(api: TestApi, workflowId: string): Promise<void> {
    const handle = api.ctx.temporal.workflow.getHandle(workflowId);
    await handle.result().catch(() => undefined);
  }

  async function freshTenant(): Promise<string> {
    const tenant = uniqueTenant('ctl');
    await writeHrCsv(path.join(settings.dataDirAbs, tenant, 'hr.csv'), ROWS);
    await createBulkHrConfig(api, tenant);
    return tenant;
  }

  it('a second launch while one runs is 409; pause stops the counts, resume completes with exact counts; continue-as-new happened', async () => {
    const tenant = await freshTenant();
    const run = await launch(api, tenant, 'sync-tasks', 'bulk-import');
    const again = await api.req('POST', `/${tenant}/api/sync/sync-tasks/bulk-import/instances`);
    expect(again.status).toBe(409);
    expect(again.json.label).toBe('CONFLICT');

    await waitForRun(api, run.path, (p) => p.numberOfProcessedEntries > 0);
    expect((await api.req('POST', `${run.path}/~pause`)).status).toBe(200);
    const paused = await waitForRun(api, run.path, (p) => p.progressStatus === 'PAUSED');
    await new Promise((r) => setTimeout(r, 2500));
    const still = (await api.req('GET', run.path)).json;
    expect(still.progressStatus).toBe('PAUSED');
    expect(still.numberOfProcessedEntries).toBe(paused.numberOfProcessedEntries);
    expect(still.numberOfProcessedEntries).toBeLessThan(ROWS);
    expect(still.progressPercentage).toBeLessThan(100);

    expect((await api.req('POST', `${run.path}/~resume`)).status).toBe(200);
    const done = await waitForRun(api, run.path, undefined, 200_000);
    expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: ROWS, numberOfProcessedEntries: ROWS, numberOfErrors: 0, progressPercentage: 100 }));
    expect(done.statistics.actions).toEqual({ ADD_IDM_OBJECT: ROWS });
    const total = await api.req('GET', `/${tenant}/api/idm/objects?limit=1`);
    expect(total.headers.get('x-total-count')).toBe(String(ROWS));

    // 50 pages exceed the test server's continue-as-new suggestion (120 history events): several executions, one instance.
    const executions: string[] = [];
    for await (const w of api.ctx.temporal.workflow.list({ query: `WorkflowId = 'sync/${tenant}/bulk-import'` })) executions.push(w.runId);
    expect(executions.length).toBeGreaterThan(1);

    // Pausing or resuming a finished run is a conflict.
    expect((await api.req('POST', `${run.path}/~pause`)).status).toBe(409);
    // A new launch after completion is allowed again.
    const next = await launch(api, tenant, 'sync-tasks', 'bulk-import');
    const second = await waitForRun(api, next.path, undefined, 200_000);
    expect(second.statistics.situations).toEqual({ LINKED: ROWS });
    expect(second.statistics.actions).toEqual({ SYNCHRONIZE_IDM_OBJECT: ROWS });
  }, 480_000);

  it('cancel mid-run ends ABORTED within seconds, and cancelling again is 409', async () => {
    const tenant = await freshTenant();
    const run = await launch(api, tenant, 'sync-tasks', 'bulk-import');
    await waitForRun(api, run.path, (p) => p.numberOfProcessedEntries > 0);
    const cancelledAt = Date.now();
    expect((await api.req('POST', `${run.path}/~cancel`)).status).toBe(200);
    const done = await waitForRun(api, run.path, (p) => p.progressStatus === 'COMPLETED', 15_000);
    expect(Date.now() - cancelledAt).toBeLessThan(15_000);
    expect(done.outcomeStatus).toBe('ABORTED');
    expect(done.numberOfProcessedEntries).toBeLessThan(ROWS);
    expect(done.endDate).toEqual(expect.any(String));
    const again = await api.req('POST', `${run.path}/~cancel`);
    expect(again.status).toBe(409);
    expect(again.json.label).toBe('CONFLICT');
    expect((await api.req('POST', `/${tenant}/api/sync/sync-tasks/bulk-import/instances/nope/~cancel`)).status).toBe(404);
  });

  it('a paused run can be cancelled; its task definition cannot be deleted until the run has ended', async () => {
    const tenant = await freshTenant();
    const run = await launch(api, tenant, 'sync-tasks', 'bulk-import');
    await waitForRun(api, run.path, (p) => p.numberOfProcessedEntries > 0);
    await api.req('POST', `${run.path}/~pause`);
    await waitForRun(api, run.path, (p) => p.progressStatus === 'PAUSED');
    const definition = `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`;
    const refused = await api.req('DELETE', definition);
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ label: 'CONFLICT', properties: { id: 'bulk-import' } });
    expect((await api.req('GET', definition)).status).toBe(200);
    expect((await api.req('POST', `${run.path}/~cancel`)).status).toBe(200);
    expect((await waitForRun(api, run.path)).outcomeStatus).toBe('ABORTED');
    await waitForClosed(api, `sync/${tenant}/bulk-import`);
    expect((await api.req('DELETE', definition)).status).toBe(204);
  });

  it.each([['expandErrorDetails:maybe'], ['foo']])('rejects option=%s with 400', async (option) => {
    const tenant = uniqueTenant('opt');
    const r = await api.req('GET', `/${tenant}/api/sync/sync-tasks/~instances?option=${option}`);
    expect(r.status).toBe(400);
    expect(r.json.properties.path).toBe('option');
  });
});
