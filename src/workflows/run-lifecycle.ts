import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import { addCounters, emptyCounters, outcomeOf, type Counters } from '../engine/counters';
import type { OutcomeStatus, RunKind } from '../store/task-runs';
import type { ErrorRepresentation } from '../errors';
import type { RunInput } from './run-input';
import { pauseSignal, progressQuery, resumeSignal, type LiveProgress } from './signals';

/**
 * Options of page activities: heartbeating (so a dead worker's page is retried within the heartbeat timeout),
 * retried on crashes and retryable source trouble; a RunFailure (the run cannot proceed) is final.
 */
export function pageActivityOptions(heartbeatTimeout: Duration, startToCloseTimeout: Duration): ActivityOptions {
  return {
    startToCloseTimeout,
    heartbeatTimeout,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 10, nonRetryableErrorTypes: ['RunFailure'] },
  };
}

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 30 },
});

/** Reports stream every error of the run and archives copy whole files: minutes, not seconds, for a large run. */
const finishing = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '20 seconds', maximumAttempts: 5 },
});

/** Pause handling and the live query, shared by every run workflow. */
export class RunControl {
  paused: boolean;

  constructor(
    private readonly input: RunInput,
    initiallyPaused: boolean,
    live: () => Omit<LiveProgress, 'paused'>,
  ) {
    this.paused = initiallyPaused;
    setHandler(pauseSignal, () => {
      this.paused = true;
    });
    setHandler(resumeSignal, () => {
      this.paused = false;
    });
    setHandler(progressQuery, () => ({ ...live(), paused: this.paused }));
  }

  /** Called between pages: while paused, the run shows PAUSED and waits (cancellation still reaches it). */
  async betweenPages(): Promise<void> {
    if (!this.paused) return;
    await bookkeeping.markRunStatus({ tenant: this.input.tenant, runId: this.input.runId, progressStatus: 'PAUSED' });
    await condition(() => !this.paused);
    await bookkeeping.markRunStatus({ tenant: this.input.tenant, runId: this.input.runId, progressStatus: 'RUNNING' });
  }
}

/** The error representation a failed activity carried (RunFailure), or a generic one. */
function failureOf(err: unknown): ErrorRepresentation | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === 'RunFailure') {
    const details = cause.details?.[0] as ErrorRepresentation | undefined;
    if (details) return details;
  }
  return null;
}

/**
 * Runs the body of a run workflow and records its end: SUCCESS / PARTIAL from the counters, FAILURE when the run could
 * not proceed, ABORTED on cancellation (recorded in a non-cancellable scope, then the cancellation propagates).
 * Before a run is shown COMPLETED its post-processing runs (reports, archive; not for a cancelled run): an error of
 * its own counts as an error of the run, and so does a post-processing step that could not run at all. Whatever
 * happens, a run that ends is recorded as ended.
 */
export async function recordingOutcome(
  input: RunInput,
  kind: RunKind,
  counters: () => Counters,
  snapshots: () => Array<{ name: string; pages: number }>,
  body: () => Promise<void>,
): Promise<string> {
  let postErrors = 0;
  let postFailure: string | undefined;
  const total = () => addCounters(counters(), { ...emptyCounters(), errors: postErrors });
  const ending = (outcome: OutcomeStatus) => ({ tenant: input.tenant, runId: input.runId, outcome, counters: total(), snapshots: snapshots(), postProcessingFailure: postFailure });
  const postProcess = async (outcome: OutcomeStatus, failure: ErrorRepresentation | null) => {
    // Runs started before post-processing existed replay without it (Temporal patching keeps their history valid).
    if (!patched('post-processing')) return;
    try {
      const r = await finishing.postProcessRun({ tenant: input.tenant, kind, taskDefinitionId: input.taskDefinitionId, runId: input.runId, outcome, counters: counters(), failure });
      postErrors = r.errors;
    } catch (err) {
      if (isCancellation(err)) throw err;
      postErrors = 1;
      postFailure = err instanceof ActivityFailure ? (err.cause?.message ?? err.message) : String(err);
    }
  };
  try {
    await body();
    await postProcess(outcomeOf(counters()), null);
  } catch (err) {
    if (isCancellation(err)) {
      postErrors = 0;
      postFailure = undefined;
      await CancellationScope.nonCancellable(() => bookkeeping.finishRun(ending('ABORTED')));
      throw err;
    }
    if (!(err instanceof ActivityFailure)) throw err; // continue-as-new and workflow bugs are not run outcomes
    const rep = failureOf(err);
    // A run cancelled while its failure is post-processed still ends FAILURE: the failure is what happened.
    await CancellationScope.nonCancellable(() => postProcess('FAILURE', rep));
    // A failure without a representation of its own is built by the activity, which knows the service's version.
    await bookkeeping.finishRun({ ...ending('FAILURE'), failure: rep ?? null, unreadableCause: rep ? undefined : (err.cause?.message ?? err.message) });
    return 'FAILURE';
  }
  const outcome = outcomeOf(total());
  await bookkeeping.finishRun(ending(outcome));
  return outcome;
}
