import type { RetryPolicy } from '../../config/connector-properties';
import { ConnectorError } from '../../connectors/types';

export interface RetryEnv {
  sleep(ms: number): Promise<void>;
  /** called while waiting, so a long backoff does not look like a dead activity */
  heartbeat(): void;
}

/** The wait before attempt `n + 1` (n >= 1): initial × coefficient^(n-1), capped (SPEC.md §3.1). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxIntervalMs, policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1));
}

const HEARTBEAT_SLICE_MS = 5_000;

/**
 * Runs one directory write under the connector definition's retry policy: only retryable ConnectorErrors (network
 * trouble, busy/unavailable server) are tried again; anything else, or the last retryable failure, is thrown to
 * become the entry's error. Writes are made safe to repeat by their callers (create adopts, delete of a missing
 * entry is done, membership changes are no-ops when already so), since a lost answer may hide an applied write.
 */
export async function withRetry<T>(policy: RetryPolicy, env: RetryEnv, op: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (!(e instanceof ConnectorError) || !e.retryable) throw e;
      if (attempt >= policy.maxAttempts) throw new ConnectorError(e.kind, `${e.message} (gave up after ${attempt} attempts)`, e.details);
      let wait = backoffMs(policy, attempt);
      while (wait > 0) {
        env.heartbeat();
        const slice = Math.min(wait, HEARTBEAT_SLICE_MS);
        await env.sleep(slice);
        wait -= slice;
      }
    }
  }
}
