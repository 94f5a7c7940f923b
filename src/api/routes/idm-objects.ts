import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { route } from '../routing';
import { jsonBody } from '../body';
import { tenantOf } from '../tenant';
import { AppError, validationError } from '../../errors';
import { zodIssues } from '../../config/issue-paths';
import { IdmObjectStore } from '../../store/idm-objects';
import { KeyedMutex } from '../../keyed-mutex';
import { IDM_KINDS, LIFECYCLE_STATES } from '../../store/idm-model';
import { validateSearchExpression, type SearchExpression } from '../../store/search-expression';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const attributesSchema = z
  .record(z.string().regex(ATTRIBUTE_NAME, 'attribute names are letters, digits, _ and -, starting with a letter or _'), z.union([scalar, z.null(), z.array(scalar).max(10_000)]))
  .refine((a) => Object.keys(a).length <= 1000, 'at most 1000 attributes');

const idmObjectBody = z.strictObject({
  id: z.string().regex(RESOURCE_ID, 'ids match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$').optional(),
  kind: z.enum(IDM_KINDS),
  type: z.string().min(1).max(128),
  lifecycleState: z.enum(LIFECYCLE_STATES).default('ACTIVE'),
  attributes: attributesSchema.default({}),
  // Read-only: accepted so a client can send back what it read; createdAt/updatedAt are ignored, version is checked.
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  version: z.number().int().min(1).optional(),
});

function parseBody(body: unknown) {
  const r = idmObjectBody.safeParse(body);
  if (!r.success) throw validationError(zodIssues(r.error), 'Invalid IDM object');
  return r.data;
}

function intParam(raw: unknown, name: string, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  const s = String(raw);
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) throw validationError([{ path: name, reason: `expected an integer from ${min} to ${max}` }]);
  return n;
}

function parseFilter(raw: unknown): SearchExpression {
  if (raw === undefined || raw === '') return {};
  let expr: unknown;
  try {
    expr = JSON.parse(String(raw));
  } catch {
    throw validationError([{ path: 'filter', reason: 'filter must be a JSON search expression' }]);
  }
  const issues = validateSearchExpression(expr, 'filter');
  if (issues.length) throw validationError(issues, 'Invalid search expression');
  return expr as SearchExpression;
}

/** `/{tenant}/api/idm/objects`: the IDM repository this service owns (SPEC.md §5). */
export function idmObjectsRouter(ctx: ApiContext): Router {
  const router = Router({ mergeParams: true });
  const store = (res: Parameters<typeof tenantOf>[0]) => new IdmObjectStore(ctx.dbs.db(tenantOf(res)));
  // One write per object at a time: the version check and the write must not interleave (keyed-mutex.ts).
  const writes = new KeyedMutex();
  const objectKey = (res: Parameters<typeof tenantOf>[0], id: string) => `${tenantOf(res)}/${id}`;

  route(router, '/idm/objects', {
    GET: async (req, res) => {
      const filter = parseFilter(req.query.filter);
      const offset = intParam(req.query.offset, 'offset', 0, 0, 1_000_000_000);
      const limit = intParam(req.query.limit, 'limit', 100, 1, 1000);
      const { items, total } = await store(res).search(filter, offset, limit);
      res.set('X-Total-Count', String(total)).json(items);
    },
    POST: async (req, res) => {
      const { createdAt: _c, updatedAt: _u, version: _v, ...input } = parseBody(jsonBody(req));
      res.status(201).json(await store(res).create(input));
    },
  });

  route(router, '/idm/objects/:id', {
    GET: async (req, res) => {
      const obj = await store(res).get(String(req.params.id));
      if (!obj) throw new AppError('NOT_FOUND', `No IDM object with id ${req.params.id}`, { id: req.params.id });
      res.json(obj);
    },
    PUT: async (req, res) => {
      const id = String(req.params.id);
      const { createdAt: _c, updatedAt: _u, version, id: bodyId, ...input } = parseBody(jsonBody(req));
      if (bodyId !== undefined && bodyId !== id) throw validationError([{ path: 'id', reason: `must equal the path id ${id} or be absent` }]);
      res.json(await writes.run(objectKey(res, id), () => store(res).replace(id, input, version)));
    },
    DELETE: async (req, res) => {
      const id = String(req.params.id);
      if (!(await writes.run(objectKey(res, id), () => store(res).delete(id)))) throw new AppError('NOT_FOUND', `No IDM object with id ${id}`, { id });
      res.status(204).end();
    },
  });
  return router;
}
