import type { RequestHandler, Router } from 'express';
import { AppError } from '../errors';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/**
 * Registers the handlers of one path, and answers any other method with 405 and an Allow header,
 * as the seed's CRUD table requires for its N/A cells.
 */
export function route(router: Router, path: string, handlers: Partial<Record<Method, RequestHandler>>): void {
  const allow = Object.keys(handlers) as Method[];
  const r = router.route(path);
  for (const m of allow) {
    const h = handlers[m]!;
    switch (m) {
      case 'GET': r.get(h); break;
      case 'POST': r.post(h); break;
      case 'PUT': r.put(h); break;
      case 'DELETE': r.delete(h); break;
      case 'PATCH': r.patch(h); break;
    }
  }
  r.all((req) => {
    throw new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on this resource`, { method: req.method, allow });
  });
}
