import { ConnectorError } from '../types';

export const READ_ONLY_MESSAGE = 'not supported: the CSV connector is read-only';

/** The object class a CSV file holds: one row is one account. */
export const ACCOUNT_OBJECT_CLASS = '__ACCOUNT__';

export function permanentError(message: string, details: ConnectorError['details'] = {}): ConnectorError {
  return new ConnectorError('permanent', message, details);
}

export function readOnlyError(): ConnectorError {
  return permanentError(READ_ONLY_MESSAGE);
}

export function assertAccountClass(objectClassId: string): void {
  if (objectClassId !== ACCOUNT_OBJECT_CLASS)
    throw permanentError(`unknown object class '${objectClassId}': a CSV connector only holds ${ACCOUNT_OBJECT_CLASS}`);
}

/**
 * Resource exhaustion or a busy file clears up by itself, so those are worth a retry; a missing or unreadable
 * file needs a human (wrong filePath, permissions), so retrying would only delay the report.
 */
const RETRYABLE_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'EINTR', 'ETIMEDOUT']);

const PERMANENT_REASONS: Record<string, string> = {
  ENOENT: 'file not found',
  ENOTDIR: 'file not found (a parent is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ELOOP: 'too many symbolic links',
};

/** Classifies a file-system failure on the CSV file; anything already classified is passed through. */
export function fileError(err: unknown, filePath: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const cause = err instanceof Error ? err.message : String(err);
  if (code && RETRYABLE_CODES.has(code))
    return new ConnectorError('retryable', `CSV file '${filePath}' is temporarily unavailable (${code})`, { code, cause });
  const reason = (code && PERMANENT_REASONS[code]) ?? 'cannot be read';
  return permanentError(`CSV file '${filePath}': ${reason}${code ? ` (${code})` : ''}`, { code, cause });
}
