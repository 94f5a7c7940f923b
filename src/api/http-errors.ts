import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, errorRepresentation, type ErrorLabel } from '../errors';
import { logger } from '../log';

/** Each request gets a logTrackingId, also written in its log line, so a user's error can be found in the log. */
export const trackRequests: RequestHandler = (req, res, next) => {
  const logTrackingId = crypto.randomUUID();
  res.locals.logTrackingId = logTrackingId;
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { logTrackingId, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
    if (res.statusCode >= 500) logger.error({ ...line, err: res.locals.error }, 'request failed');
    else logger.info(line, 'request');
  });
  next();
};

export function sendError(res: Response, err: AppError): void {
  const rep = err.toRepresentation(String(res.locals.logTrackingId ?? crypto.randomUUID()));
  if (err.label === 'METHOD_NOT_ALLOWED' && Array.isArray(err.properties.allow)) res.set('Allow', (err.properties.allow as string[]).join(', '));
  res.status(err.status).type('application/json').send(JSON.stringify(rep));
}

export const notFound: RequestHandler = (req, res) => {
  sendError(res, new AppError('NOT_FOUND', `No resource at ${req.method} ${req.path}`, { path: req.path }));
};

/** Maps body-parser's own errors (malformed JSON, too large, bad charset) and our AppErrors to the error representation. */
export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof AppError) return sendError(res, err);
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  const mapped: Record<string, [ErrorLabel, string, string]> = {
    'entity.parse.failed': ['VALIDATION_ERROR', 'The body is not well-formed JSON', 'Send a valid JSON document'],
    'entity.too.large': ['PAYLOAD_TOO_LARGE', `The body exceeds the limit of ${e.limit ?? '?'} bytes`, 'Send a smaller body'],
    'encoding.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported body charset', 'Send the body in UTF-8'],
    'charset.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported body charset', 'Send the body in UTF-8'],
    'request.aborted': ['VALIDATION_ERROR', 'The request was aborted', 'Send the whole body'],
  };
  const m = e.type ? mapped[e.type] : undefined;
  if (m) {
    const [label, description, fix] = m;
    return sendError(res, new AppError(label, description, { cause: e.message }, fix));
  }
  res.locals.error = err;
  const rep = errorRepresentation('INTERNAL_ERROR', 'An internal error occurred', {}, 'Check the server logs with the logTrackingId', String(res.locals.logTrackingId));
  res.status(500).json(rep);
};

/** Express 5 forwards rejected promises to the error handler; this only narrows the handler type for readability. */
export type AsyncHandler = RequestHandler;
