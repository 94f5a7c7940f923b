import type { RequestHandler } from 'express';
import type { ApiContext } from './context';
import { errorRepresentation } from '../errors';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, rej) => (timer = setTimeout(() => rej(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** 200 only when both MongoDB and Temporal answer; otherwise 503 naming what is down. */
export function healthz(ctx: ApiContext): RequestHandler {
  return async (_req, res) => {
    const checks = await Promise.all([
      withTimeout(ctx.dbs.client.db('admin').command({ ping: 1 }), 3000).then(
        () => ['mongodb', 'up'] as const,
        (e: Error) => ['mongodb', `down: ${e.message}`] as const,
      ),
      ctx.temporal.connection.withDeadline(Date.now() + 3000, () => ctx.temporal.workflowService.getSystemInfo({})).then(
        () => ['temporal', 'up'] as const,
        (e: Error) => ['temporal', `down: ${e.message}`] as const,
      ),
    ]);
    const status = Object.fromEntries(checks);
    const down = checks.filter(([, s]) => s !== 'up').map(([n]) => n);
    if (down.length === 0) {
      res.status(200).json({ status: 'UP', checks: status });
      return;
    }
    res
      .status(503)
      .json(errorRepresentation('SERVICE_UNAVAILABLE', `Unavailable: ${down.join(', ')}`, { down, checks: status }, 'Start the dependencies named in properties.down', String(res.locals.logTrackingId)));
  };
}
