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
  /** the shadow was dead when the run read its account (not counted among the live shadows seen: seen-count.ts) */
  dead?: true;
}

/**
 * The seen mark a shadow carries (`ShadowDoc.seenBy`) when the run that read its account also wrote it: a page
 * that creates or changes a shadow writes that document anyway, and a mark inside it costs nothing, where a mark of
 * its own was a quarter of an import's inserts. A shadow the page does not write gets a mark of its own.
 *
 * The mark is one string, `<line>:<run id>`, not a sub-document: the mark stays in the shadow after its run, and
 * every later reconciliation reads it back. At 1,000,000 accounts a `{runId, line}` sub-document (~150 bytes with
 * the type information FerretDB stores beside each value, against ~60 for the string) slowed the no-change
 * reconciliation's deleted detection from 71 to 115 s (bench/README.md, session 9).
 */
export type CarriedMark = string;

export const carriedMark = (runId: string, line: number): CarriedMark => `${line}:${runId}`;

/** A document that may carry a run's seen mark (a shadow, or the `{_id, seenBy}` projection of one). */
export interface MarkCarrier {
  _id: string;
  seenBy?: CarriedMark;
}

/** The mark `doc` carries if `runId` wrote it, else undefined (a malformed value is no mark). */
export function carriedBy(doc: MarkCarrier | undefined, runId: string): SeenMarkDoc | undefined {
  const mark = doc?.seenBy;
  const suffix = `:${runId}`;
  if (typeof mark !== 'string' || !mark.endsWith(suffix)) return undefined;
  const line = mark.slice(0, mark.length - suffix.length);
  return /^\d{1,15}$/.test(line) ? { _id: doc!._id, line: Number(line) } : undefined;
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

  /** The marks of their own among `shadowIds` (see {@link marksOf} for every mark of this run). */
  getMany(shadowIds: Iterable<string>): Promise<Map<string, SeenMarkDoc>> {
    return findByIds(this.col, shadowIds);
  }

  /** The mark `doc` carries if this run wrote it, else undefined. */
  carried(doc: MarkCarrier | undefined): SeenMarkDoc | undefined {
    return carriedBy(doc, this.runId);
  }

  /**
   * This run's mark of each of `shadows`, by shadow id: the one it carries, else one of its own (marks made before
   * shadows carried them, by runs in flight across an upgrade, are all of their own).
   */
  async marksOf(shadows: MarkCarrier[]): Promise<Map<string, SeenMarkDoc>> {
    const carried = shadows.flatMap((s) => this.carried(s) ?? []);
    const carriers = new Set(carried.map((m) => m._id));
    const marks = await this.getMany(shadows.filter((s) => !carriers.has(s._id)).map((s) => s._id));
    for (const mark of carried) marks.set(mark._id, mark);
    return marks;
  }

  /** Idempotent: a shadow already marked keeps its first line (the one a later duplicate names). */
  async add(marks: SeenMarkDoc[]): Promise<void> {
    await insertNew(this.col, marks);
  }

  /**
   * The ids of `shadows` this run did not mark, in their order: those carrying no mark of this run are checked one
   * `$in` query per batch. The next batch of shadows is read while the current one is checked.
   */
  async *unseen(shadows: AsyncIterable<MarkCarrier>): AsyncGenerator<{ _id: string }> {
    for await (const batch of oneAhead(batchesOf(shadows, IDS_PER_QUERY))) yield* this.unmarked(batch.filter((s) => !this.carried(s)).map((s) => s._id));
  }

  private async *unmarked(ids: string[]): AsyncGenerator<{ _id: string }> {
    if (ids.length === 0) return;
    const marked = await this.getMany(ids);
    for (const id of ids) if (!marked.has(id)) yield { _id: id };
  }

  /** A finished run's marks are no longer needed (a run that read nothing, or a provisioning run, may have none). */
  async drop(): Promise<void> {
    await dropCollection(this.col);
  }
}
