import path from 'node:path';
import { startProcess, type ManagedProcess } from '../../src/embedded/process';
import { projectRoot } from '../../src/embedded/paths';
import { COLLECTIONS } from '../../src/store/collections';
import { startTestApi, type TestApi } from '../harness/api';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { launch, waitForRun } from '../harness/runs';
import { createBulkHrConfig, writeHrCsv } from '../harness/bulk-hr';

const N = Number(process.env.CRASH_TEST_ACCOUNTS ?? 50_000);

/**
 * A worker process killed with SIGKILL in the middle of a run: a new worker finishes the same instance with exact
 * counts, no duplicate IDM object, shadow or correlation key, and at most one page redone (statistics.pagesRetried,
 * counted from Temporal's attempt number of each page activity).
 */
describe('crash recovery', () => {
  const settings = testSettings({ PAGE_SIZE: '500' });
  let api: TestApi;
  const workers: ManagedProcess[] = [];

  const startWorker = (name: string): ManagedProcess =>
    startProcess(name, process.execPath, [path.join(projectRoot(), 'dist', 'src', 'worker.js')], {
      logDir: path.join(testEnv().varDir, 'log'),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: settings.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: settings.TEMPORAL_TASK_QUEUE,
        MONGODB_URI: settings.MONGODB_URI,
        DATA_DIR: settings.dataDirAbs,
        PAGE_SIZE: String(settings.PAGE_SIZE),
        LOG_LEVEL: 'warn',
      },
    });

  beforeAll(async () => {
    api = await startTestApi(settings);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api?.close();
  });

  it(`SIGKILL of the worker mid-run of ${N} accounts: the run completes exactly once per account`, async () => {
    const tenant = uniqueTenant('crash');
    await writeHrCsv(path.join(settings.dataDirAbs, tenant, 'hr.csv'), N);
    await createBulkHrConfig(api, tenant);
    const first = startWorker('crash-worker-1');
    workers.push(first);
    const run = await launch(api, tenant, 'sync-tasks', 'bulk-import');

    const before = await waitForRun(api, run.path, (p) => p.numberOfProcessedEntries >= N * 0.3, 600_000);
    first.child.kill('SIGKILL');
    await first.stop();
    const atKill = (await api.req('GET', run.path)).json.numberOfProcessedEntries as number;
    expect(atKill).toBeLessThan(N);
    expect(before.progressStatus).toBe('RUNNING');

    workers.push(startWorker('crash-worker-2'));
    const done = await waitForRun(api, run.path, undefined, 900_000);
    expect(done).toEqual(expect.objectContaining({ progressStatus: 'COMPLETED', outcomeStatus: 'SUCCESS', numberOfEntriesToProcess: N, numberOfProcessedEntries: N, numberOfErrors: 0 }));
    expect(done.statistics.situations).toEqual({ UNMATCHED: N });
    expect(done.statistics.actions).toEqual({ ADD_IDM_OBJECT: N });
    expect(done.statistics.pagesRetried).toBeLessThanOrEqual(1);

    const db = api.ctx.dbs.db(tenant);
    const [objects, shadows, keys] = await Promise.all([
      db.collection(COLLECTIONS.idmObjects).countDocuments({}),
      db.collection(COLLECTIONS.shadows).countDocuments({}),
      db.collection(COLLECTIONS.correlationKeys).countDocuments({}),
    ]);
    expect({ objects, shadows, keys }).toEqual({ objects: N, shadows: N, keys: N });
    // No key lists an object twice or two objects: each employeeNumber belongs to exactly one object.
    const shared = await db.collection(COLLECTIONS.correlationKeys).countDocuments({ 'ids.1': { $exists: true } });
    expect(shared).toBe(0);
  }, 1_800_000);
});
