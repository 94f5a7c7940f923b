import { loadSettingsOrExit } from './settings';
import { logger } from './log';
import { connectMongo, TenantDbs } from './store/mongo';
import { temporalClient, workerConnection } from './temporal/connection';
import { createWorker } from './temporal/worker';

/** Worker process: runs workflows and activities of the task queue until SIGTERM/SIGINT (the SDK drains on those). */
async function main(): Promise<void> {
  const settings = loadSettingsOrExit();
  const mongo = connectMongo(settings.MONGODB_URI);
  await mongo.connect();
  const connection = await workerConnection(settings);
  const worker = await createWorker(connection, { settings, dbs: new TenantDbs(mongo, settings.MONGODB_DB_PREFIX), temporal: temporalClient(settings) });
  logger.info({ taskQueue: settings.TEMPORAL_TASK_QUEUE, address: settings.TEMPORAL_ADDRESS }, 'worker started');
  await worker.run();
  await connection.close();
  await mongo.close();
  logger.info('worker stopped');
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
