import type { Router } from 'express';
import type { ApiContext } from '../context';
import { idmObjectsRouter } from './idm-objects';
import { configRouter } from './config';
import { tasksRouter } from './tasks';

/** Every router mounted under /{tenant}/api. Each resource family adds its own here. */
export function tenantRouters(ctx: ApiContext): Router[] {
  return [idmObjectsRouter(ctx), configRouter(ctx), tasksRouter(ctx, 'SYNC'), tasksRouter(ctx, 'PROVISIONING')];
}
