import { randomUUID } from 'node:crypto';
import { APP_ID } from './version';

/** The error representation of SPEC.md §2 (the seed's `errorDetails` element). */
export interface ErrorRepresentation {
  errorId: string;
  label: string;
  description: string;
  properties: Record<string, unknown>;
  fix: string;
  appId: string;
  timestamp: string;
  logTrackingId: string;
}

/** The catalogue of error kinds: one id and label each, so the same failure always reads the same way. */
export const ERRORS = {
  VALIDATION_ERROR: { errorId: 'SYNC-C0000400', status: 400 },
  UNAUTHORIZED: { errorId: 'SYNC-C0000401', status: 401 },
  FORBIDDEN: { errorId: 'SYNC-C0000403', status: 403 },
  NOT_FOUND: { errorId: 'SYNC-C0000404', status: 404 },
  METHOD_NOT_ALLOWED: { errorId: 'SYNC-C0000405', status: 405 },
  CONFLICT: { errorId: 'SYNC-C0000409', status: 409 },
  PAYLOAD_TOO_LARGE: { errorId: 'SYNC-C0000413', status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { errorId: 'SYNC-C0000415', status: 415 },
  HEADERS_TOO_LARGE: { errorId: 'SYNC-C0000431', status: 431 },
  INTERNAL_ERROR: { errorId: 'SYNC-S0000500', status: 500 },
  SERVICE_UNAVAILABLE: { errorId: 'SYNC-S0000503', status: 503 },
  // Per-entry failures of a task run (never HTTP statuses of their own).
  SCRIPT_ERROR: { errorId: 'SYNC-E0001001', status: 500 },
  CONNECTOR_ERROR: { errorId: 'SYNC-E0001002', status: 500 },
  SOURCE_ROW_ERROR: { errorId: 'SYNC-E0001003', status: 500 },
  OBJECT_TYPE_MIGRATION_FORBIDDEN: { errorId: 'SYNC-E0001004', status: 500 },
  ACTION_ERROR: { errorId: 'SYNC-E0001005', status: 500 },
  CONFIGURATION_ERROR: { errorId: 'SYNC-E0001006', status: 500 },
  SOURCE_UNREADABLE: { errorId: 'SYNC-E0001007', status: 500 },
  POST_PROCESSING_ERROR: { errorId: 'SYNC-E0001008', status: 500 },
} as const;

export type ErrorLabel = keyof typeof ERRORS;

/** An error that knows how to present itself to a user. Thrown anywhere; rendered by the API or a task run. */
export class AppError extends Error {
  constructor(
    readonly label: ErrorLabel,
    message: string,
    readonly properties: Record<string, unknown> = {},
    readonly fix: string = defaultFix(label),
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERRORS[this.label].status;
  }

  toRepresentation(logTrackingId: string = randomUUID()): ErrorRepresentation {
    return errorRepresentation(this.label, this.message, this.properties, this.fix, logTrackingId);
  }
}

export function errorRepresentation(
  label: ErrorLabel,
  description: string,
  properties: Record<string, unknown> = {},
  fix: string = defaultFix(label),
  logTrackingId: string = randomUUID(),
): ErrorRepresentation {
  return {
    errorId: ERRORS[label].errorId,
    label,
    description,
    properties,
    fix,
    appId: APP_ID,
    timestamp: new Date().toISOString(),
    logTrackingId,
  };
}

function defaultFix(label: ErrorLabel): string {
  switch (label) {
    case 'VALIDATION_ERROR':
      return 'Correct the fields listed in properties and send the request again';
    case 'NOT_FOUND':
      return 'Check the identifier and the path';
    case 'METHOD_NOT_ALLOWED':
      return 'Use one of the methods listed in the Allow header';
    case 'CONFLICT':
      return 'Reload the resource or wait for the running task, then retry';
    case 'PAYLOAD_TOO_LARGE':
      return 'Send a smaller body';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'Send the body with the content type this endpoint expects';
    case 'HEADERS_TOO_LARGE':
      return 'Shorten the URL (a long filter) or the headers: together they must fit in 16 KiB';
    case 'SERVICE_UNAVAILABLE':
      return 'Check that the dependencies named in properties are running';
    case 'SCRIPT_ERROR':
      return 'Correct the compute rule named in properties';
    case 'CONNECTOR_ERROR':
      return 'Check the application and the connector definition';
    default:
      return 'Check the server logs with the logTrackingId';
  }
}

/** A validation problem at one JSON path. */
export interface ValidationIssue {
  path: string;
  reason: string;
}

export function validationError(issues: ValidationIssue[], description = 'The request is invalid'): AppError {
  const first = issues[0];
  return new AppError('VALIDATION_ERROR', issues.length === 1 && first ? `${description}: ${first.path ? first.path + ': ' : ''}${first.reason}` : `${description}: ${issues.length} problems`, {
    ...(first ? { path: first.path, reason: first.reason } : {}),
    errors: issues,
  });
}
