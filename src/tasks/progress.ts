import type { ErrorRepresentation } from '../errors';
import type { TaskRunDoc } from '../store/task-runs';

/** The task progress JSON of the seed, plus SPEC.md §6's endDate, taskType and statistics. */
export interface TaskProgress {
  id: string;
  synchronizationTaskId?: string;
  provisioningTaskId?: string;
  taskType: string;
  progressStatus: string;
  outcomeStatus: string | null;
  startDate: string;
  endDate: string | null;
  processingTimeMillis: number;
  numberOfEntriesToProcess: number;
  numberOfProcessedEntries: number;
  numberOfErrors: number;
  progressPercentage: number;
  statistics: { situations: Record<string, number>; actions: Record<string, number>; skipped: number; pagesRetried: number; pagesDecidedAhead: number };
  errorDetails?: ErrorRepresentation[];
  jobId: string;
}

/** Percentage of entries done; it reaches 100 only when the run is COMPLETED (SPEC.md §6). */
export function progressPercentage(run: Pick<TaskRunDoc, 'progressStatus' | 'numberOfEntriesToProcess' | 'counters'>): number {
  if (run.progressStatus === 'COMPLETED') return 100;
  if (run.numberOfEntriesToProcess <= 0) return 0;
  return Math.min(99, Math.floor((run.counters.processed * 100) / run.numberOfEntriesToProcess));
}

export function toProgress(run: TaskRunDoc, errorDetails?: ErrorRepresentation[], now = Date.now()): TaskProgress {
  const start = Date.parse(run.startDate);
  const end = run.endDate ? Date.parse(run.endDate) : now;
  return {
    id: run._id,
    ...(run.kind === 'SYNC' ? { synchronizationTaskId: run.taskDefinitionId } : { provisioningTaskId: run.taskDefinitionId }),
    taskType: run.taskType,
    progressStatus: run.progressStatus,
    outcomeStatus: run.outcomeStatus,
    startDate: run.startDate,
    endDate: run.endDate,
    processingTimeMillis: Math.max(0, end - start),
    numberOfEntriesToProcess: run.numberOfEntriesToProcess,
    numberOfProcessedEntries: run.counters.processed,
    numberOfErrors: run.counters.errors + (run.failure ? 1 : 0),
    progressPercentage: progressPercentage(run),
    statistics: { situations: run.counters.situations, actions: run.counters.actions, skipped: run.counters.skipped, pagesRetried: run.pagesRetried ?? 0, pagesDecidedAhead: run.pagesDecidedAhead ?? 0 },
    ...(errorDetails ? { errorDetails } : {}),
    jobId: run.workflowId,
  };
}
