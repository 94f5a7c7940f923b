import { NativeConnection, type Worker } from '@temporalio/worker';
import { createWorker } from '../../src/temporal/worker';
import { connectMongo, TenantDbs } from '../../src/store/mongo';
import { temporalClient } from '../../src/temporal/connection';
import type { Settings } from '../../src/settings';
import { testEnv } from './env';

export interface TestWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** An in-process worker on the test's own task queue, with the workflow bundle globalSetup built once. */
export async function startTestWorker(settings: Settings): Promise<TestWorker> {
  const mongo = connectMongo(settings.MONGODB_URI);
  const connection = await NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
  const temporal = temporalClient(settings);
  const worker = await createWorker(connection, { settings, dbs: new TenantDbs(mongo, settings.MONGODB_DB_PREFIX), temporal }, { bundlePath: testEnv().workflowBundlePath });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await temporal.connection.close();
      await mongo.close();
    },
  };
}
