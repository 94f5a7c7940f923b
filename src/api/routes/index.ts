import type { Router } from 'express';
import type { ApiContext } from '../context';

/** Every router mounted under /{tenant}/api. Each resource family adds its own here. */
export function tenantRouters(_ctx: ApiContext): Router[] {
  return [];
}
