import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addCounters, emptyCounters, type Counters } from '../engine/counters';
import type { RunInput } from './run-input';
import { pageActivityOptions, recordingOutcome, RunControl } from './run-lifecycle';

/**
 * The heartbeat timeout leaves room for one directory operation (operationTimeoutMs, 30 s by default) between
 * heartbeats: a page declared dead while its write is still running would be retried alongside it.
 */
const pages = proxyActivities<Activities>(pageActivityOptions('1 minute', '30 minutes'));

export type ProvisioningPhase = 'prepare' | 'objects' | 'orphanSnapshot' | 'orphans' | 'done';

export interface ProvisioningRunState {
  phase: ProvisioningPhase;
  pageNo: number;
  scopePages: number;
  orphanPages: number;
  counters: Counters;
  paused: boolean;
}

export interface ProvisioningRunInput extends RunInput {
  state?: ProvisioningRunState;
}

/**
 * One run of a ProvisioningTaskDefinition, with the machinery of synchronization runs (ARCHITECTURE.md §3):
 * prepare (check the targets, freeze the scope in sort order), pages of IDM objects, then accounts whose owner was
 * deleted from the repository (snapshot, pages), finalize. Pause between pages, continue-as-new with its state.
 */
export async function provisioningRunWorkflow(input: ProvisioningRunInput): Promise<string> {
  const s: ProvisioningRunState = input.state ?? { phase: 'prepare', pageNo: 0, scopePages: 0, orphanPages: 0, counters: emptyCounters(), paused: false };
  const control = new RunControl(input, s.paused, () => ({ phase: s.phase, pageNo: s.pageNo, processed: s.counters.processed, errors: s.counters.errors }));
  const ref = { tenant: input.tenant, taskDefinitionId: input.taskDefinitionId, runId: input.runId };
  const snapshots = () => [
    { name: `${input.runId}:scope`, pages: s.scopePages },
    { name: `${input.runId}:orphans`, pages: s.orphanPages },
  ];

  const maybeContinueAsNew = async () => {
    if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof provisioningRunWorkflow>({ ...input, state: { ...s, paused: control.paused } });
  };

  const pageLoop = async (phase: ProvisioningPhase, count: number, next: ProvisioningPhase, run: typeof pages.processProvisioningPage) => {
    while (s.phase === phase) {
      if (s.pageNo >= count) {
        s.phase = next;
        s.pageNo = 0;
        break;
      }
      await control.betweenPages();
      const r = await run({ ...ref, pageNo: s.pageNo, countersBefore: s.counters });
      s.counters = addCounters(s.counters, r.counters);
      s.pageNo++;
      await maybeContinueAsNew();
    }
  };

  return recordingOutcome(input, 'PROVISIONING', () => s.counters, snapshots, async () => {
    if (s.phase === 'prepare') {
      s.scopePages = (await pages.prepareProvisioningRun(ref)).pages;
      s.phase = 'objects';
    }
    await pageLoop('objects', s.scopePages, 'orphanSnapshot', pages.processProvisioningPage);
    if (s.phase === 'orphanSnapshot') {
      s.orphanPages = (await pages.snapshotOrphans(ref)).pages;
      s.phase = 'orphans';
    }
    await pageLoop('orphans', s.orphanPages, 'done', pages.processOrphansPage);
  });
}
