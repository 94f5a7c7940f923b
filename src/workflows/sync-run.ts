import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addCounters, emptyCounters, type Counters } from '../engine/counters';
import type { RunInput } from './run-input';
import { pageActivityOptions, recordingOutcome, RunControl } from './run-lifecycle';

/** Pages of accounts are short: a dead worker's page is picked up again 20 seconds after its last heartbeat. */
const pages = proxyActivities<Activities>(pageActivityOptions('20 seconds', '10 minutes'));

export type SyncPhase = 'prepare' | 'accounts' | 'snapshot' | 'deleted' | 'done';

export interface SyncRunState {
  phase: SyncPhase;
  taskType: 'IMPORT' | 'RECONCILIATION' | null;
  pageNo: number;
  position: string | null;
  deletedPages: number;
  counters: Counters;
  paused: boolean;
}

export interface SyncRunInput extends RunInput {
  state?: SyncRunState;
}

/**
 * One run of a SynchronizationTaskDefinition (ARCHITECTURE.md §3): prepare (check, count), pages of accounts,
 * deleted detection (reconciliation only), finalize. The workflow keeps the position and counters; it continues as
 * new when Temporal suggests it, carrying its state, so the instance id and the counts survive.
 */
export async function syncRunWorkflow(input: SyncRunInput): Promise<string> {
  const s: SyncRunState = input.state ?? { phase: 'prepare', taskType: null, pageNo: 0, position: null, deletedPages: 0, counters: emptyCounters(), paused: false };
  const control = new RunControl(input, s.paused, () => ({ phase: s.phase, pageNo: s.pageNo, processed: s.counters.processed, errors: s.counters.errors }));
  const ref = { tenant: input.tenant, taskDefinitionId: input.taskDefinitionId, runId: input.runId };
  const snapshots = () => (s.deletedPages > 0 ? [{ name: `${input.runId}:deleted`, pages: s.deletedPages }] : []);

  const maybeContinueAsNew = async () => {
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof syncRunWorkflow>({ ...input, state: { ...s, paused: control.paused } });
  };

  return recordingOutcome(input, 'SYNC', () => s.counters, snapshots, async () => {
    if (s.phase === 'prepare') {
      const prepared = await pages.prepareSyncRun(ref);
      s.taskType = prepared.taskType;
      s.phase = 'accounts';
    }
    while (s.phase === 'accounts') {
      await control.betweenPages();
      const r = await pages.processSyncPage({ ...ref, pageNo: s.pageNo, position: s.position, countersBefore: s.counters });
      s.counters = addCounters(s.counters, r.counters);
      s.pageNo++;
      s.position = r.next;
      if (r.next === null) s.phase = s.taskType === 'RECONCILIATION' ? 'snapshot' : 'done';
      await maybeContinueAsNew();
    }
    if (s.phase === 'snapshot') {
      const snap = await pages.snapshotDeleted(ref);
      s.deletedPages = snap.pages;
      s.pageNo = 0;
      s.phase = snap.pages > 0 ? 'deleted' : 'done';
    }
    while (s.phase === 'deleted') {
      await control.betweenPages();
      const r = await pages.processDeletedPage({ ...ref, pageNo: s.pageNo, countersBefore: s.counters });
      s.counters = addCounters(s.counters, r.counters);
      s.pageNo++;
      if (s.pageNo >= s.deletedPages) s.phase = 'done';
      await maybeContinueAsNew();
    }
  });
}
