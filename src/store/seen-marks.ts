import type { Db } from 'mongodb';
import { batchesOf, oneAhead } from './batches';
import { insertNew } from './bulk-writes';
import { findByIds, IDS_PER_QUERY } from './by-ids';
import { dropCollection, runCollection } from './collections';

/**
 * That a run read something, and on which line: for a synchronization run `_id` is the shadow id of an account of
 * its source; for a provisioning run, the id of an IDM object of its scope that was found in the repository.
 */
export interface SeenMarkDoc {
  _id: string;
  line: number;
}

/** One collection per run, so finishing the run drops its marks at once instead of deleting them one by one. */
export function seenMarksCollection(runId: string): string {
  return runCollection('seenMarks', runId);
}

/**
 * What a run has read so far (ARCHITECTURE.md §5). A synchronization run's deleted detection takes the live shadows
 * that are not marked, its duplicate detection the uids marked on another line; a provisioning run's orphan pass
 * looks up in the repository only the linked objects that are not marked. Kept apart from the shadows because marking
 * a page is one batched insert, where updating a field on each of its shadows costs one write per account — on
 * FerretDB that update was 75% of a no-change reconciliation.
 */
export class SeenMarks {
  constructor(
    private readonly db: Db,
    readonly runId: string,
  ) {}

  private get col() {
    return this.db.collection<SeenMarkDoc>(seenMarksCollection(this.runId));
  }

  getMany(shadowIds: Iterable<string>): Promise<Map<string, SeenMarkDoc>> {
    return findByIds(this.col, shadowIds);
  }

  /** Idempotent: a shadow already marked keeps its first line (the one a later duplicate names). */
  async add(marks: SeenMarkDoc[]): Promise<void> {
    await insertNew(this.col, marks);
  }

  /**
   * The ids of `shadows` this run did not mark, in their order, checked one `$in` query per batch. The next batch
   * of shadows is read while the current one is checked.
   */
  async *unseen(shadows: AsyncIterable<{ _id: string }>): AsyncGenerator<{ _id: string }> {
    for await (const batch of oneAhead(batchesOf(shadows, IDS_PER_QUERY))) yield* this.unmarked(batch.map((s) => s._id));
  }

  private async *unmarked(ids: string[]): AsyncGenerator<{ _id: string }> {
    const marked = await this.getMany(ids);
    for (const id of ids) if (!marked.has(id)) yield { _id: id };
  }

  /** A finished run's marks are no longer needed (a run that read nothing, or a provisioning run, may have none). */
  async drop(): Promise<void> {
    await dropCollection(this.col);
  }
}
