import { Router, type Request, type Response } from 'express';
import { RESOURCE_INFO, RESOURCE_TYPES, type ResourceType } from '../../config/resource-types';
import { ConfigService } from '../../config/service';
import type { ApiContext } from '../context';
import { jsonBody, xmlBody } from '../body';
import { route } from '../routing';
import { tenantOf } from '../tenant';

const CONF = '/sync/conf';

/**
 * The configuration CRUD of the seed's table, one set of handlers for every resource type: `GET`/`POST` on the
 * collection, `GET`/`PUT`/`DELETE` on an item, 405 with Allow for the rest; plus the XML dataset import/export.
 */
export function configRouter(ctx: ApiContext): Router {
  // Listeners are read at call time, so whoever builds the context may attach them after the app is created.
  const service = new ConfigService(
    { settings: ctx.settings, dbs: ctx.dbs },
    {
      beforeDelete: async (tenant, type, id) => ctx.configListeners?.beforeDelete?.(tenant, type, id),
      onSaved: async (tenant, type, resource) => ctx.configListeners?.onSaved?.(tenant, type, resource),
      onDeleted: async (tenant, type, id) => ctx.configListeners?.onDeleted?.(tenant, type, id),
    },
  );
  // strict: false (the default) makes a trailing slash optional on every path.
  const router = Router({ mergeParams: true });
  for (const type of RESOURCE_TYPES) registerResource(router, service, type);

  route(router, `${CONF}/dataset/import`, {
    POST: async (req, res) => {
      res.status(200).json(await service.importDataset(tenantOf(res), xmlBody(req)));
    },
  });
  route(router, `${CONF}/dataset/export`, {
    GET: async (_req, res) => {
      res.status(200).type('application/xml').send(await service.exportDataset(tenantOf(res)));
    },
  });
  return router;
}

function registerResource(router: Router, service: ConfigService, type: ResourceType): void {
  const collection = `${CONF}/${RESOURCE_INFO[type].restPath}`;
  const id = (req: Request): string => String(req.params.id);
  route(router, collection, {
    GET: async (_req, res: Response) => {
      res.status(200).json(await service.list(tenantOf(res), type));
    },
    POST: async (req, res) => {
      res.status(201).json(await service.create(tenantOf(res), type, jsonBody(req)));
    },
  });
  route(router, `${collection}/:id`, {
    GET: async (req, res) => {
      res.status(200).json(await service.get(tenantOf(res), type, id(req)));
    },
    PUT: async (req, res) => {
      res.status(200).json(await service.update(tenantOf(res), type, id(req), jsonBody(req)));
    },
    DELETE: async (req, res) => {
      await service.delete(tenantOf(res), type, id(req));
      res.status(204).end();
    },
  });
}
