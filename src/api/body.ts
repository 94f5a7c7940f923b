import type { Request } from 'express';
import { AppError } from '../errors';

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The parsed JSON body of a request that must carry one (415 when it is not JSON, 400 when it is not an object). */
export function jsonBody(req: Request): Record<string, unknown> {
  if (!req.is('application/json') && !req.is('+json')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Expected an application/json body, got ${req.headers['content-type'] ?? 'no content type'}`, {
      contentType: req.headers['content-type'] ?? null,
    }, 'Send the body with Content-Type: application/json');
  }
  const body: unknown = req.body;
  if (!hasBody(req) || body === undefined) {
    throw new AppError('VALIDATION_ERROR', 'The request body is missing', { path: '', reason: 'a JSON object is required' });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('VALIDATION_ERROR', 'The request body must be a JSON object', { path: '', reason: 'expected an object' });
  }
  return body as Record<string, unknown>;
}

/** The raw XML text of a request (415 unless application/xml or text/xml). */
export function xmlBody(req: Request): string {
  if (!req.is('application/xml') && !req.is('text/xml') && !req.is('+xml')) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Expected an application/xml body, got ${req.headers['content-type'] ?? 'no content type'}`, {
      contentType: req.headers['content-type'] ?? null,
    }, 'Send the body with Content-Type: application/xml');
  }
  if (typeof req.body !== 'string' || req.body.length === 0) {
    throw new AppError('VALIDATION_ERROR', 'The request body is missing', { path: '', reason: 'an XML document is required' });
  }
  return req.body;
}

/** Rejects a body on an endpoint that takes none, rather than silently ignoring it. */
export function noBody(req: Request): void {
  if (hasBody(req) && req.body !== undefined && typeof req.body === 'object' && Object.keys(req.body as object).length > 0) {
    throw new AppError('VALIDATION_ERROR', 'This endpoint takes no request body', { path: '', reason: 'no body expected' });
  }
}
