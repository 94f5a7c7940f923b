import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { echo } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/** Proves the wiring of worker, activities and client end to end (healthz and tests use it). */
export async function pingWorkflow(message: string): Promise<string> {
  return `pong: ${await echo(message)}`;
}
