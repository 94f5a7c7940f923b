import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { AppError } from '../errors';
import { ConfigStore } from '../store/config-store';
import { emptyCounters } from '../engine/counters';
import { TaskRunStore, type RunKind } from '../store/task-runs';
import { runWorkflowId } from '../temporal/ids';
import { TASK_DEFINITION_KEY, TASK_TYPE_KEY, TENANT_KEY } from '../temporal/search-attributes';
import type { RunInput } from '../workflows/run-input';

export const DEFINITION_TYPE = { SYNC: 'synchronizationTaskDefinition', PROVISIONING: 'provisioningTaskDefinition' } as const;
export const WORKFLOW_TYPE = { SYNC: 'syncRunWorkflow', PROVISIONING: 'provisioningRunWorkflow' } as const;

export async function requireTaskDefinition(db: Db, kind: RunKind, id: string): Promise<Record<string, unknown>> {
  const def = await new ConfigStore(db).get(DEFINITION_TYPE[kind], id);
  if (!def) {
    const label = kind === 'SYNC' ? 'SynchronizationTaskDefinition' : 'ProvisioningTaskDefinition';
    throw new AppError('NOT_FOUND', `${label} ${JSON.stringify(id)} does not exist`, { taskDefinitionId: id });
  }
  return def;
}

/**
 * Starts a run of a task definition under the definition's fixed workflow id, so a second launch while one runs
 * fails (409) whoever starts it, REST or a schedule. Returns the instance id users see.
 */
export async function launchRun(
  client: Client,
  db: Db,
  taskQueue: string,
  kind: RunKind,
  tenant: string,
  taskDefinitionId: string,
  trigger: 'REST' | 'SCHEDULE',
): Promise<string> {
  const def = await requireTaskDefinition(db, kind, taskDefinitionId);
  const taskType = kind === 'SYNC' ? String(def.taskType) : 'PROVISIONING';
  const runId = randomUUID();
  const workflowId = runWorkflowId(kind, tenant, taskDefinitionId);
  const runs = new TaskRunStore(db);
  const now = new Date().toISOString();
  // The run exists before its workflow starts, so the first activity always finds it.
  await runs.createIfAbsent({
    _id: runId,
    kind,
    taskDefinitionId,
    taskType,
    workflowId,
    trigger,
    progressStatus: 'PENDING',
    outcomeStatus: null,
    startDate: now,
    endDate: null,
    numberOfEntriesToProcess: 0,
    counters: emptyCounters(),
    errorPages: [],
    failure: null,
    updatedAt: now,
  });
  const input: RunInput = { tenant, taskDefinitionId, runId };
  const start = () =>
    client.workflow.start(WORKFLOW_TYPE[kind], {
      taskQueue,
      workflowId,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      memo: { instanceId: runId },
      typedSearchAttributes: [
        { key: TENANT_KEY, value: tenant },
        { key: TASK_DEFINITION_KEY, value: taskDefinitionId },
        { key: TASK_TYPE_KEY, value: taskType },
      ],
    });
  try {
    try {
      await start();
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError && (await closedAfterCompletion(client, runs, workflowId)))) throw e;
      await start();
    }
  } catch (e) {
    await runs.delete(runId);
    if (e instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('CONFLICT', `Task ${taskDefinitionId} is already running`, { taskDefinitionId, workflowId }, 'Wait for the running instance to finish, or cancel it');
    }
    throw e;
  }
  return runId;
}

/**
 * How long a launch waits for the workflow of a run already shown COMPLETED to close. The moment is normally a few
 * milliseconds; the bound only matters on a loaded machine (a clean-clone CI run once needed more than 10 s).
 */
const CLOSING_WAIT_MS = 30_000;

/**
 * A run shows COMPLETED from its last activity, a moment before its workflow closes. A launch in that moment is not a
 * conflict for the user who saw COMPLETED: wait (bounded) for the workflow to close, and say whether it did.
 */
async function closedAfterCompletion(client: Client, runs: TaskRunStore, workflowId: string): Promise<boolean> {
  const handle = client.workflow.getHandle(workflowId);
  const running = await handle.describe().catch(() => null);
  const instanceId = running?.memo?.instanceId;
  if (typeof instanceId !== 'string' || (await runs.get(instanceId))?.progressStatus !== 'COMPLETED') return false;
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    handle.result().then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSING_WAIT_MS))),
  ]);
  clearTimeout(timer);
  return closed;
}
