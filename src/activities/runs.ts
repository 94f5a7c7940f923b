import { logRunErrors } from '../engine/error-log';
import type { ErrorRepresentation } from '../errors';
import type { Counters } from '../engine/counters';
import { PageJournal } from '../store/page-journal';
import { ShadowDeaths } from '../store/shadow-deaths';
import { SeenMarks } from '../store/seen-marks';
import { deleteSnapshot } from '../store/snapshots';
import { StagedSource } from '../store/staged-source';
import { TaskRunStore, type OutcomeStatus, type ProgressStatus, type RunKind } from '../store/task-runs';
import { launchRun } from '../tasks/launcher';
import { JobEvents } from '../store/job-events';
import { AppError, errorRepresentation } from '../errors';
import type { ActivityDeps } from './deps';
import { postProcessingError } from './post-processing';

export interface RunRef {
  tenant: string;
  runId: string;
}

/** Bookkeeping activities shared by synchronization and provisioning runs. */
export function runActivities(deps: ActivityDeps) {
  return {
    async markRunStatus(ref: RunRef & { progressStatus: Extract<ProgressStatus, 'RUNNING' | 'PAUSED'> }): Promise<void> {
      await new TaskRunStore(deps.dbs.db(ref.tenant)).update(ref.runId, { progressStatus: ref.progressStatus });
    },

    /**
     * Ends a run: its journal, seen marks, staged accounts and snapshots are no longer needed; then outcome, end date, final counters.
     * The clean-up comes first so that a run shown COMPLETED has nothing left to do but close its workflow: a launch
     * right after it is not refused as "already running" for the time a clean-up takes.
     */
    async finishRun(
      ref: RunRef & { outcome: OutcomeStatus; counters: Counters; failure?: ErrorRepresentation | null; unreadableCause?: string; postProcessingFailure?: string; snapshots?: Array<{ name: string; pages: number }> },
    ): Promise<void> {
      const db = deps.dbs.db(ref.tenant);
      if (ref.postProcessingFailure !== undefined) {
        // the post-processing activity could not run at all, so it could not record its own error
        await new TaskRunStore(db).addErrors(ref.runId, 'post-processing', [postProcessingError('post-processing', ref.postProcessingFailure, ref.runId)]);
      }
      await new PageJournal(db, ref.runId).forgetRun();
      await new ShadowDeaths(db).forgetRun(ref.runId);
      await new SeenMarks(db, ref.runId).drop();
      await new StagedSource(db, ref.runId).drop();
      for (const s of ref.snapshots ?? []) await deleteSnapshot(db, s.name, s.pages);
      const failure = ref.failure ?? (ref.unreadableCause === undefined ? null : sourceUnreadable(ref.unreadableCause, ref.runId));
      await new TaskRunStore(db).update(ref.runId, { progressStatus: 'COMPLETED', outcomeStatus: ref.outcome, endDate: new Date().toISOString(), counters: ref.counters, failure });
      if (failure) logRunErrors(ref.runId, [failure]);
    },

    /** A schedule firing: starts the run under the definition's fixed id; a firing while one runs is skipped and recorded. */
    async launchScheduled(input: { tenant: string; kind: RunKind; taskDefinitionId: string }): Promise<{ instanceId: string | null; skipped: boolean }> {
      const db = deps.dbs.db(input.tenant);
      const events = new JobEvents(db);
      try {
        const instanceId = await launchRun(deps.temporal, db, deps.settings.TEMPORAL_TASK_QUEUE, input.kind, input.tenant, input.taskDefinitionId, 'SCHEDULE');
        await events.record(input.kind, input.taskDefinitionId, { type: 'FIRED', instanceId });
        return { instanceId, skipped: false };
      } catch (e) {
        if (e instanceof AppError && e.label === 'CONFLICT') {
          await events.record(input.kind, input.taskDefinitionId, { type: 'SKIPPED', reason: e.message });
          return { instanceId: null, skipped: true };
        }
        throw e;
      }
    },
  };
}

function sourceUnreadable(cause: string, runId: string): ErrorRepresentation {
  return errorRepresentation('SOURCE_UNREADABLE', `The run could not proceed: ${cause}`, {}, 'Check the application and its connector, then launch the task again', runId);
}
