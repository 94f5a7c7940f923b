import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { COLLECTIONS } from './collections';
import type { IdmObjectDoc } from './idm-model';
import type { ShadowDoc } from './shadows';
import type { CorrelationKeyDoc } from './correlation-keys';

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
  keyAdds: KeyChange[];
  keyPulls: KeyChange[];
  shadowUpserts: ShadowDoc[];
  outcomes: O[];
}

/** A correlation key gained or lost by an object. */
export interface KeyChange {
  key: string;
  id: string;
}

/**
 * The plan is stored as JSON text: it holds arbitrary account-derived values (error properties among them), and
 * FerretDB rejects some shapes (nested arrays) that are fine in JSON; the journal is only ever read whole.
 */
interface JournalDoc {
  _id: string;
  plan: string;
  savedAt: string;
}

export class PageJournal {
  constructor(private readonly db: Db) {}

  private get col() {
    return this.db.collection<JournalDoc>(COLLECTIONS.pageJournal);
  }

  async find<O>(pageKey: string): Promise<PagePlan<O> | null> {
    const doc = await this.col.findOne({ _id: pageKey });
    return doc ? (JSON.parse(doc.plan) as PagePlan<O>) : null;
  }

  async save<O>(pageKey: string, plan: PagePlan<O>): Promise<void> {
    await this.col.replaceOne({ _id: pageKey }, { plan: JSON.stringify(plan), savedAt: new Date().toISOString() }, { upsert: true });
  }

  /** Journal entries of a finished run are no longer needed. */
  async forgetRun(runId: string): Promise<void> {
    await this.col.deleteMany({ _id: { $regex: `^${runId.replace(/[^A-Za-z0-9_-]/g, '')}:` } });
  }

  /** Applies a plan: one bulkWrite per collection, each idempotent. */
  async apply(plan: PagePlan): Promise<void> {
    const objectOps: AnyBulkWriteOperation<IdmObjectDoc>[] = [
      ...plan.objectUpserts.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      ...plan.objectDeletes.map((id) => ({ deleteOne: { filter: { _id: id } } })),
    ];
    const keyOps: AnyBulkWriteOperation<CorrelationKeyDoc>[] = [
      ...plan.keyAdds.map(({ key, id }) => ({ updateOne: { filter: { _id: key }, update: { $addToSet: { ids: id } }, upsert: true } })),
      ...plan.keyPulls.map(({ key, id }) => ({ updateOne: { filter: { _id: key }, update: { $pull: { ids: id } } } })),
    ];
    const shadowOps: AnyBulkWriteOperation<ShadowDoc>[] = plan.shadowUpserts.map((d) => ({
      replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true },
    }));
    await Promise.all([
      objectOps.length ? this.db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects).bulkWrite(objectOps, { ordered: false }) : null,
      keyOps.length ? this.db.collection<CorrelationKeyDoc>(COLLECTIONS.correlationKeys).bulkWrite(keyOps, { ordered: true }) : null,
      shadowOps.length ? this.db.collection<ShadowDoc>(COLLECTIONS.shadows).bulkWrite(shadowOps, { ordered: false }) : null,
    ]);
  }
}
