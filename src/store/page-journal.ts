import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import { inCommands, insertOrElse, replaceById } from './bulk-writes';
import { COLLECTIONS, dropCollection, runCollection } from './collections';
import type { IdmObjectDoc } from './idm-model';
import type { WriteSet } from './read-recorder';
import { seenMarksCollection, type SeenMarkDoc, type SeenMarks } from './seen-marks';
import { ShadowDeaths } from './shadow-deaths';
import type { ShadowDoc } from './shadows';
import type { CorrelationKeyDoc } from './correlation-keys';
import { readTextParts, writeTextParts, type TextPartDoc } from './text-parts';

/**
 * The writes one page decided, as absolute values (full documents, set additions and removals), so applying them
 * twice leaves the same state. The plan is saved before it is applied: a page retried after a crash re-applies
 * the saved plan and reports the saved outcomes instead of deciding again on a half-written state — that is how
 * a retried page gives exact counts and never a second IDM object, shadow or key.
 */
export interface PagePlan<O = unknown> {
  objectUpserts: IdmObjectDoc[];
  objectDeletes: string[];
  /** correlation keys gained and lost */
  /** upserted documents that did not exist when the page was decided: inserted (fast), replaced if they exist by now */
  newObjectIds?: string[];
  newShadowIds?: string[];
  keyAdds: KeyChange[];
  keyPulls: KeyChange[];
  shadowUpserts: ShadowDoc[];
  /** inbound: the accounts the page read (applied when apply is given the run's SeenMarks) */
  seenMarks?: SeenMarkDoc[];
  outcomes: O[];
}

/** A correlation key gained or lost by an object. */
export interface KeyChange {
  key: string;
  id: string;
}

/**
 * The plan is stored as JSON text: it holds arbitrary account-derived values (error properties among them), and
 * FerretDB rejects some shapes (nested arrays) that are fine in JSON; the journal is only ever read whole. A plan
 * larger than a document may hold (a page of accounts with photos or certificates) is stored in parts.
 */
interface JournalDoc extends TextPartDoc {
  savedAt?: string;
  /** entries saved before plans were stored in parts */
  plan?: string;
}

/**
 * A run's page journal: its own collection (`pageJournal_<hash of the run id>`), dropped in one command when the run
 * ends. Deleting a run's entries from one shared collection read them all: 39.6 s at the end of a 1,000,000-account
 * import, whose entries hold 1 GiB of plans. Runs journaled before keep their entries in the shared `pageJournal`
 * collection, where `find` still looks and `forgetRun` still deletes.
 */
export class PageJournal {
  constructor(
    private readonly db: Db,
    readonly runId: string,
  ) {}

  private get col() {
    return this.db.collection<JournalDoc>(runCollection('pageJournal', this.runId));
  }

  private get shared() {
    return this.db.collection<JournalDoc>(COLLECTIONS.pageJournal);
  }

  async find<O>(pageKey: string): Promise<PagePlan<O> | null> {
    const text = (await readPlan(this.col, pageKey)) ?? (await readPlan(this.shared, pageKey));
    return text === null ? null : (JSON.parse(text) as PagePlan<O>);
  }

  async save<O>(pageKey: string, plan: PagePlan<O>): Promise<void> {
    await writeTextParts(this.col, pageKey, JSON.stringify(plan), { savedAt: new Date().toISOString() });
  }

  /** The journal of a finished run is no longer needed. */
  async forgetRun(): Promise<void> {
    await dropCollection(this.col);
    if (await this.shared.findOne({}, { projection: { _id: 1 } }))
      await this.shared.deleteMany({ _id: { $regex: `^${this.runId.replace(/[^A-Za-z0-9_-]/g, '')}:` } });
  }

  /**
   * Applies a plan, each write idempotent. Documents that are new are inserted in batches (insertOrElse); one that
   * exists after all (a replayed plan) falls back to a replace. Add-only correlation keys take the same path (a key
   * of a unique value is new), falling back to `$addToSet`. An inbound plan's seen marks go to the run's `seen`.
   * Shadows written dead are written inside the {@link ShadowDeaths} ledger.
   */
  async apply(plan: PagePlan, seen?: SeenMarks): Promise<void> {
    const objects = this.db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects);
    const shadows = this.db.collection<ShadowDoc>(COLLECTIONS.shadows);
    const keys = this.db.collection<CorrelationKeyDoc>(COLLECTIONS.correlationKeys);

    const newObjects = new Set(plan.newObjectIds ?? []);
    const newShadows = new Set(plan.newShadowIds ?? []);
    const pulledKeys = new Set(plan.keyPulls.map((k) => k.key));
    const addsByKey = new Map<string, string[]>();
    for (const { key, id } of plan.keyAdds) addsByKey.set(key, [...(addsByKey.get(key) ?? []), id]);
    const addToSet = (key: string, ids: string[]) => ({ updateOne: { filter: { _id: key }, update: { $addToSet: { ids: { $each: ids } } }, upsert: true } });
    const freshKeys = [...addsByKey].filter(([k]) => !pulledKeys.has(k));

    await Promise.all([
      seen?.add(plan.seenMarks ?? []),
      (async () => {
        const ops: AnyBulkWriteOperation<IdmObjectDoc>[] = [
          ...plan.objectUpserts.filter((d) => !newObjects.has(d._id)).map(replaceById),
          ...plan.objectDeletes.map((id) => ({ deleteOne: { filter: { _id: id } } })),
        ];
        await insertOrElse(objects, plan.objectUpserts.filter((d) => newObjects.has(d._id)), replaceById);
        await inCommands(ops, (chunk) => objects.bulkWrite(chunk, { ordered: false }));
      })(),
      (async () => {
        await insertOrElse(keys, freshKeys.map(([key, ids]) => ({ _id: key, ids })), (d) => addToSet(d._id, d.ids));
        const ops: AnyBulkWriteOperation<CorrelationKeyDoc>[] = [
          ...[...addsByKey].filter(([k]) => pulledKeys.has(k)).map(([k, ids]) => addToSet(k, ids)),
          ...plan.keyPulls.map(({ key, id }) => ({ updateOne: { filter: { _id: key }, update: { $pull: { ids: id } } } })),
        ];
        await inCommands(ops, (chunk) => keys.bulkWrite(chunk, { ordered: true }));
      })(),
      // Writes of dead shadows go through the ledger a reconciliation's counted deleted detection relies on.
      new ShadowDeaths(this.db).around(this.runId, [...new Set(plan.shadowUpserts.filter((d) => d.dead).map((d) => d.applicationId))], async () => {
        await insertOrElse(shadows, plan.shadowUpserts.filter((d) => newShadows.has(d._id)), replaceById);
        const ops = plan.shadowUpserts.filter((d) => !newShadows.has(d._id)).map(replaceById);
        await inCommands(ops, (chunk) => shadows.bulkWrite(chunk, { ordered: false }));
      }),
    ]);
  }
}

/**
 * The documents {@link PageJournal.apply} writes for `plan`, per collection (seen marks in `runId`'s collection).
 * Kept beside `apply` on purpose: a page decided ahead is checked against this, so a write `apply` makes and this
 * leaves out would let a stale decision through (test/integration/store/plan-writes.test.ts compares the two).
 */
export function writesOf(plan: PagePlan, runId: string): WriteSet {
  const ids = (xs: Iterable<string>) => new Set(xs);
  return new Map([
    [COLLECTIONS.idmObjects, ids([...plan.objectUpserts.map((d) => d._id), ...plan.objectDeletes])],
    [COLLECTIONS.correlationKeys, ids([...plan.keyAdds, ...plan.keyPulls].map((k) => k.key))],
    [COLLECTIONS.shadows, ids(plan.shadowUpserts.map((d) => d._id))],
    [seenMarksCollection(runId), ids((plan.seenMarks ?? []).map((m) => m._id))],
  ]);
}

/** A plan's text: in parts, or in one `plan` field as versions before parts saved it. */
async function readPlan(col: Collection<JournalDoc>, pageKey: string): Promise<string | null> {
  const first = await col.findOne({ _id: pageKey });
  if (!first) return null;
  return first.plan ?? readTextParts(col, pageKey, first);
}
