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
  try {
    await client.workflow.start(WORKFLOW_TYPE[kind], {
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
  } catch (e) {
    await runs.delete(runId);
    if (e instanceof WorkflowExecutionAlreadyStartedError) {
      throw new AppError('CONFLICT', `Task ${taskDefinitionId} is already running`, { taskDefinitionId, workflowId }, 'Wait for the running instance to finish, or cancel it');
    }
    throw e;
  }
  return runId;
}
