import { MongoClient } from 'mongodb';
import { testEnv, testSettings, uniqueTenant } from '../harness/env';
import { runActivities } from '../../src/activities/runs';
import { emptyCounters } from '../../src/engine/counters';
import { TenantDbs } from '../../src/store/mongo';
import { TaskRunStore, type TaskRunDoc } from '../../src/store/task-runs';
import { APP_ID } from '../../src/version';
import { errorRepresentation } from '../../src/errors';
import { logger } from '../../src/log';
import type { Client } from '@temporalio/client';

/** The activity that ends a run, against FerretDB: what a run shown COMPLETED carries. */
describe('finishing a run (real FerretDB)', () => {
  const settings = testSettings();
  const client = new MongoClient(testEnv().mongoUri);
  const dbs = new TenantDbs(client, settings.MONGODB_DB_PREFIX);
  // finishRun never reaches Temporal
  const activities = runActivities({ settings, dbs, temporal: undefined as unknown as Client });
  afterAll(async () => client.close());

  const run = (id: string): TaskRunDoc => ({
    _id: id,
    kind: 'SYNC',
    taskDefinitionId: 'hr-import',
    taskType: 'IMPORT',
    workflowId: `wf-${id}`,
    trigger: 'REST',
    progressStatus: 'RUNNING',
    outcomeStatus: null,
    startDate: new Date().toISOString(),
    endDate: null,
    numberOfEntriesToProcess: 10,
    counters: emptyCounters(),
    errorPages: [],
    failure: null,
    updatedAt: new Date().toISOString(),
  });

  it('a run that could not proceed without an error of its own gets a SOURCE_UNREADABLE error naming the cause and the service version', async () => {
    const tenant = uniqueTenant('finish');
    const store = new TaskRunStore(dbs.db(tenant));
    await store.createIfAbsent(run('r1'));
    await activities.finishRun({ tenant, runId: 'r1', outcome: 'FAILURE', counters: emptyCounters(), failure: null, unreadableCause: 'connect ECONNREFUSED 127.0.0.1:1' });
    const done = await store.get('r1');
    expect(done).toEqual(expect.objectContaining({ progressStatus: 'COMPLETED', outcomeStatus: 'FAILURE' }));
    expect(done!.failure).toEqual(expect.objectContaining({
      errorId: 'SYNC-E0001007',
      label: 'SOURCE_UNREADABLE',
      description: 'The run could not proceed: connect ECONNREFUSED 127.0.0.1:1',
      appId: APP_ID,
      logTrackingId: 'r1',
    }));
    expect(APP_ID).toMatch(/^idm-sync-v\d+\.\d+\.\d+/);
  });

  it('a post-processing that could not run at all is recorded as an error of the run', async () => {
    const tenant = uniqueTenant('finish');
    const store = new TaskRunStore(dbs.db(tenant));
    await store.createIfAbsent(run('r3'));
    const counters = { ...emptyCounters(), processed: 10, errors: 1 };
    await activities.finishRun({ tenant, runId: 'r3', outcome: 'PARTIAL', counters, postProcessingFailure: 'Activity task timed out' });
    const done = (await store.get('r3'))!;
    expect(done).toEqual(expect.objectContaining({ outcomeStatus: 'PARTIAL', counters, errorPages: ['r3:post-processing'] }));
    expect(await store.errorsOf(done)).toEqual([
      expect.objectContaining({ label: 'POST_PROCESSING_ERROR', description: 'post-processing failed: Activity task timed out', properties: { step: 'post-processing' }, logTrackingId: 'r3' }),
    ]);
  });

  it('every error of a run is also a worker log line carrying its logTrackingId and the account it names', async () => {
    const tenant = uniqueTenant('finish');
    const store = new TaskRunStore(dbs.db(tenant));
    await store.createIfAbsent(run('r4'));
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    try {
      const entry = errorRepresentation('SCRIPT_ERROR', 'mapping of firstName failed', { uid: 'E7', name: 'ada', line: 9, rule: 'x' });
      await store.saveErrorPage('r4', 'p0', [entry]);
      await activities.finishRun({ tenant, runId: 'r4', outcome: 'FAILURE', counters: emptyCounters(), unreadableCause: 'file not found' });
      expect(warn.mock.calls).toEqual([
        [{ runId: 'r4', logTrackingId: entry.logTrackingId, errorId: 'SYNC-E0001001', label: 'SCRIPT_ERROR', uid: 'E7', name: 'ada', line: 9 }, 'mapping of firstName failed'],
        [{ runId: 'r4', logTrackingId: 'r4', errorId: 'SYNC-E0001007', label: 'SOURCE_UNREADABLE' }, 'The run could not proceed: file not found'],
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a successful run keeps no failure', async () => {
    const tenant = uniqueTenant('finish');
    const store = new TaskRunStore(dbs.db(tenant));
    await store.createIfAbsent(run('r2'));
    await activities.finishRun({ tenant, runId: 'r2', outcome: 'SUCCESS', counters: emptyCounters() });
    expect(await store.get('r2')).toEqual(expect.objectContaining({ outcomeStatus: 'SUCCESS', failure: null }));
  });
});
