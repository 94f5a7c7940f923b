import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { ActivityDeps } from '../activities/deps';
import { projectRoot } from '../embedded/paths';

/** The prebuilt workflow bundle (`npm run build` writes it); without it the worker bundles at start-up. */
export function workflowBundlePath(): string {
  return path.join(projectRoot(), 'dist', 'workflow-bundle.js');
}

export function workflowSource(bundlePath?: string): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = bundlePath ?? workflowBundlePath();
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows') };
}

/** Worker options sized for a 2-core machine: a few concurrent page activities, many cheap workflow tasks. */
export async function createWorker(
  connection: NativeConnection,
  deps: ActivityDeps,
  opts: { bundlePath?: string } = {},
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: deps.settings.TEMPORAL_NAMESPACE,
    taskQueue: deps.settings.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    ...workflowSource(opts.bundlePath),
    maxConcurrentActivityTaskExecutions: deps.settings.WORKER_ACTIVITY_CONCURRENCY,
    maxConcurrentWorkflowTaskExecutions: deps.settings.WORKER_WORKFLOW_CONCURRENCY,
    maxCachedWorkflows: 200,
    shutdownGraceTime: '10 seconds',
  });
}
