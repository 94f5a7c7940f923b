import { createApp } from './api/app';
import { answerClientErrors } from './api/client-errors';
import { apiContext } from './api/context';
import { loadSettingsOrExit } from './settings';
import { logger } from './log';
import { connectMongo, TenantDbs } from './store/mongo';
import { temporalClient } from './temporal/connection';

/** API process: stateless, so any number of replicas can run behind a load balancer. */
async function main(): Promise<void> {
  const settings = loadSettingsOrExit();
  const mongo = connectMongo(settings.MONGODB_URI);
  const temporal = temporalClient(settings);
  const app = createApp(apiContext(settings, new TenantDbs(mongo, settings.MONGODB_DB_PREFIX), temporal));
  const server = app.listen(settings.API_PORT, settings.API_HOST, () => {
    logger.info({ url: `http://${settings.API_HOST}:${settings.API_PORT}` }, 'api listening');
  });
  answerClientErrors(server);
  server.on('error', (err) => {
    logger.fatal({ err }, 'api could not listen');
    process.exit(1);
  });
  const stop = () => {
    server.close(() => {
      void mongo.close().finally(() => process.exit(0));
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'api failed');
  process.exit(1);
});
