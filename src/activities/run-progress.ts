import type { Db } from 'mongodb';
import { addCounters, type Counters } from '../engine/outcome';
import { COLLECTIONS } from '../store/collections';
import type { TaskRunDoc } from '../store/task-runs';

/**
 * Progress of a run in MongoDB, written at page boundaries. Every write sets absolute values computed from what
 * the workflow passed in (counters before the page + the page's), so a retried activity writes the same thing.
 */
export class RunProgress {
  constructor(
    private readonly db: Db,
    private readonly runId: string,
  ) {}

  private get runs() {
    return this.db.collection<TaskRunDoc>(COLLECTIONS.taskRuns);
  }

  async started(total: number): Promise<void> {
    await this.runs.updateOne({ _id: this.runId }, { $set: { progressStatus: 'RUNNING', numberOfEntriesToProcess: total, updatedAt: new Date().toISOString() } });
  }

  async addToTotal(extra: number): Promise<void> {
    // Absolute: the total of the scan plus the deleted ones, recomputed from the prepared total kept in the doc.
    const run = await this.runs.findOne({ _id: this.runId }, { projection: { scannedTotal: 1, numberOfEntriesToProcess: 1 } });
    const scanned = run?.scannedTotal ?? run?.numberOfEntriesToProcess ?? 0;
    await this.runs.updateOne({ _id: this.runId }, { $set: { scannedTotal: scanned, numberOfEntriesToProcess: scanned + extra, updatedAt: new Date().toISOString() } });
  }

  /**
   * Records a finished page. `attempt` > 1 means the page's activity ran again (a worker crash or a retry): counted,
   * so an operator and the crash test can see how much work was redone. `decidedAhead`: its plan was decided while
   * the page before it was applied (activities/decide-ahead.ts), counted to show how often that works.
   */
  async page(before: Counters, page: Counters, errorPage: string | null, attempt = 1, decidedAhead = false): Promise<void> {
    const update: Record<string, unknown> = { $set: { counters: addCounters(before, page), updatedAt: new Date().toISOString() } };
    if (errorPage) update.$addToSet = { errorPages: errorPage };
    const inc = { ...(attempt > 1 ? { pagesRetried: 1 } : {}), ...(decidedAhead ? { pagesDecidedAhead: 1 } : {}) };
    if (Object.keys(inc).length > 0) update.$inc = inc;
    await this.runs.updateOne({ _id: this.runId }, update);
  }
}
