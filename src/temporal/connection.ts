import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Settings } from '../settings';

/**
 * A client whose gRPC connection is opened lazily and re-established by the SDK, so the API starts even while
 * Temporal is down. Retries are bounded to about two seconds: an HTTP caller gets a clear 503 rather than a hang.
 */
export function temporalClient(settings: Pick<Settings, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Client {
  const retry = defaultGrpcRetryOptions({ maxAttempts: 4, initialIntervalMs: () => 100, maxIntervalMs: () => 1000 });
  const connection = Connection.lazy({ address: settings.TEMPORAL_ADDRESS, interceptors: [makeGrpcRetryInterceptor(retry)] });
  return new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE });
}

export async function workerConnection(settings: Pick<Settings, 'TEMPORAL_ADDRESS'>): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.TEMPORAL_ADDRESS });
}
