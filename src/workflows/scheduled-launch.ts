import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RunKind } from '../store/task-runs';

const { launchScheduled } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 } });

/**
 * What a Temporal Schedule starts. Schedules append a timestamp to workflow ids, so this small workflow starts the
 * real run under the definition's fixed id (no overlap with a REST launch); a firing during a run is skipped and recorded.
 */
export async function scheduledLaunchWorkflow(input: { tenant: string; kind: RunKind; taskDefinitionId: string }): Promise<string> {
  const r = await launchScheduled(input);
  return r.skipped ? 'SKIPPED' : `STARTED ${r.instanceId}`;
}
