import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../errors';
import { ConnectorError } from '../connectors/types';
import { entryError } from '../engine/outcome';

/**
 * Activities classify failures for Temporal: retryable connector trouble is rethrown as is (the activity retry
 * policy applies); anything that means "the run cannot proceed" becomes a non-retryable failure carrying the error
 * representation, which the workflow records as the FAILURE cause.
 */
export function asRunFailure(err: unknown): unknown {
  if (err instanceof ConnectorError && err.retryable) return err;
  if (err instanceof AppError || err instanceof ConnectorError) {
    const rep = entryError(err, {});
    return ApplicationFailure.create({ message: rep.description, type: 'RunFailure', nonRetryable: true, details: [rep] });
  }
  return err;
}

export async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asRunFailure(err);
  }
}
