import express, { Router, type Express } from 'express';
import type { ApiContext } from './context';
import { errorHandler, notFound, trackRequests } from './http-errors';
import { checkTenant } from './tenant';
import { healthz } from './health';
import { tenantRouters } from './routes';

const XML_ONLY_PATH = /\/api\/sync\/conf\/dataset\/import\/?$/;

/** Builds the HTTP application: health, the tenant-scoped API, and the error representation for every failure. */
export function createApp(ctx: ApiContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(trackRequests);
  const limit = ctx.settings.MAX_BODY_BYTES;
  const json = express.json({ limit, type: ['application/json', 'application/*+json'], strict: true });
  // The dataset import takes XML only: a JSON body there is 415 (xmlBody), whether or not it parses as JSON.
  app.use((req, res, next) => (XML_ONLY_PATH.test(req.path) ? next() : json(req, res, next)));
  app.use(express.text({ limit, type: ['application/xml', 'text/xml', 'application/*+xml'] }));
  app.get('/healthz', healthz(ctx));

  const tenantApi = Router({ mergeParams: true });
  for (const r of tenantRouters(ctx)) tenantApi.use(r);
  app.use('/:tenant/api', checkTenant, tenantApi);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
