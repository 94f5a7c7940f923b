import type { ErrorRepresentation } from '../errors';
import { logger } from '../log';

/** The account an error names, when it names one (SPEC.md §6). */
const ACCOUNT_KEYS = ['uid', 'name', 'line'] as const;

/**
 * Writes a run's errors to the worker's log, one line each with its logTrackingId (SPEC.md §2: the id a user reads in
 * the run's errorDetails is also in a server log line), so an operator can go from the one to the other.
 */
export function logRunErrors(runId: string, errors: readonly ErrorRepresentation[]): void {
  for (const e of errors) {
    const account = Object.fromEntries(ACCOUNT_KEYS.filter((k) => e.properties[k] !== undefined).map((k) => [k, e.properties[k]]));
    logger.warn({ runId, logTrackingId: e.logTrackingId, errorId: e.errorId, label: e.label, ...account }, e.description);
  }
}
