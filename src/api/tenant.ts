import type { RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import { TENANT_ID_RE } from '../store/mongo';

export const checkTenant: RequestHandler = (req, res, next) => {
  const tenant = String(req.params.tenant ?? '');
  if (!TENANT_ID_RE.test(tenant)) {
    throw new AppError('VALIDATION_ERROR', `Invalid tenant id ${JSON.stringify(tenant.slice(0, 80))}`, {
      path: 'tenant',
      reason: 'must match ^[a-z0-9][a-z0-9-]{0,62}$',
    }, 'Use a tenant id of lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters');
  }
  res.locals.tenant = tenant;
  next();
};

export function tenantOf(res: Response): string {
  return res.locals.tenant as string;
}
