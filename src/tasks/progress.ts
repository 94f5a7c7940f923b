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

/** The share of the percentage a run with two phases gives its first one (see progressPercentage). */
export const FIRST_PHASE_PERCENT = 95;

/**
 * Percentage of entries done; it never goes back, and reaches 100 only when the run is COMPLETED (SPEC.md §6).
 * A reconciliation learns how many shadows it found deleted only once its scan ends, and a provisioning how many
 * orphaned accounts it has once its scope is done: both add them to the total then. A percentage of the growing total
 * would fall back (99% → 33% when two thirds of the accounts left the source), so such runs give their first phase
 * 0–95% and the second 95–99%. An IMPORT has one phase: 0–99%.
 */
export function progressPercentage(run: Pick<TaskRunDoc, 'progressStatus' | 'numberOfEntriesToProcess' | 'counters' | 'taskType' | 'scannedTotal'>): number {
  if (run.progressStatus === 'COMPLETED') return 100;
  const total = run.numberOfEntriesToProcess;
  const processed = run.counters.processed;
  if (total <= 0) return 0;
  if (run.taskType === 'IMPORT') return Math.min(99, Math.floor((processed * 100) / total));
  const scanned = run.scannedTotal;
  if (scanned === undefined) return Math.min(FIRST_PHASE_PERCENT, Math.floor((processed * FIRST_PHASE_PERCENT) / total));
  const second = total - scanned;
  if (second <= 0) return FIRST_PHASE_PERCENT;
  return Math.min(99, FIRST_PHASE_PERCENT + Math.floor((Math.max(0, processed - scanned) * (99 - FIRST_PHASE_PERCENT)) / second));
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
