import { sha256 } from '../sha256';
import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { IdBatcher } from './by-ids';
import { insertOrElse } from './bulk-writes';
import { COLLECTIONS } from './collections';
import { valuesOf, type IdmAttributes, type IdmObjectDoc } from './idm-model';

/**
 * The correlation-key collection (ARCHITECTURE.md §4): `_id` = (IDM attribute, value), listing the ids of the IDM
 * objects holding that value. FerretDB on SQLite pushes down only `_id` look-ups (equality, and `$in` with the local
 * patch), so correlation is a handful of `_id` look-ups, batched per page into one `$in`, instead of a scan of the
 * IDM objects. Every IDM object write keeps it in step with idempotent `$addToSet` / `$pull` (no transactions on
 * FerretDB: a retried write re-derives the same operations).
 */
export interface CorrelationKeyDoc {
  _id: string;
  ids: string[];
}

const TRACKED_DOC = 'correlationAttributes';
const MAX_PLAIN_VALUE = 200;

/** The `_id` of the key of one attribute value; long values are hashed so the key stays small. */
export function correlationKeyId(attribute: string, value: string | number | boolean): string {
  const v = String(value);
  const shown = v.length <= MAX_PLAIN_VALUE ? v : `#${sha256(v, 'hex')}`;
  return `${attribute}=${shown}`;
}

export function keysOf(attributes: IdmAttributes | undefined, tracked: readonly string[]): Set<string> {
  const keys = new Set<string>();
  if (!attributes) return keys;
  for (const attr of tracked) for (const v of valuesOf(attributes[attr])) keys.add(correlationKeyId(attr, v));
  return keys;
}

/** The key writes that take an object from `before` to `after` (either may be absent: create / delete). */
export function keyOperations(
  objectId: string,
  before: IdmAttributes | undefined,
  after: IdmAttributes | undefined,
  tracked: readonly string[],
): AnyBulkWriteOperation<CorrelationKeyDoc>[] {
  const old = keysOf(before, tracked);
  const now = keysOf(after, tracked);
  const ops: AnyBulkWriteOperation<CorrelationKeyDoc>[] = [];
  for (const k of now)
    if (!old.has(k)) ops.push({ updateOne: { filter: { _id: k }, update: { $addToSet: { ids: objectId } }, upsert: true } });
  for (const k of old) if (!now.has(k)) ops.push({ updateOne: { filter: { _id: k }, update: { $pull: { ids: objectId } } } });
  return ops;
}

export class CorrelationKeys {
  private readonly loader = new IdBatcher(() => this.keys);

  constructor(private readonly db: Db) {}

  private get keys() {
    return this.db.collection<CorrelationKeyDoc>(COLLECTIONS.correlationKeys);
  }

  /** The IDM attributes whose keys are maintained (those some correlation definition uses). */
  async tracked(): Promise<string[]> {
    const doc = await this.db.collection<{ _id: string; attributes: string[] }>(COLLECTIONS.meta).findOne({ _id: TRACKED_DOC });
    return doc?.attributes ?? [];
  }

  /** Ids of the objects holding any of `values` in `attribute` (an OR of the values). */
  async lookup(attribute: string, values: Array<string | number | boolean>): Promise<Set<string>> {
    const docs = await Promise.all(values.map((v) => this.loader.get(correlationKeyId(attribute, v))));
    const ids = new Set<string>();
    for (const d of docs) for (const id of d?.ids ?? []) ids.add(id);
    return ids;
  }

  async apply(ops: AnyBulkWriteOperation<CorrelationKeyDoc>[]): Promise<void> {
    if (ops.length) await this.keys.bulkWrite(ops, { ordered: false });
  }

  /**
   * Makes sure keys exist for every attribute in `wanted`: attributes not tracked yet are backfilled from the IDM
   * objects in one streamed pass, then recorded as tracked. Safe to repeat (the upserts are idempotent).
   */
  async ensureTracked(wanted: readonly string[]): Promise<string[]> {
    const current = await this.tracked();
    const missing = [...new Set(wanted)].filter((a) => !current.includes(a));
    if (missing.length === 0) return current;
    await this.backfill(missing);
    const all = [...current, ...missing].sort();
    await this.db.collection<{ _id: string; attributes: string[] }>(COLLECTIONS.meta).updateOne(
      { _id: TRACKED_DOC },
      { $set: { attributes: all } },
      { upsert: true },
    );
    return all;
  }

  /**
   * Keys of `attributes` for every IDM object, in one streamed pass. The keys of a batch of objects are grouped and
   * inserted (FerretDB: one transaction per batch, where each upsert is one of its own, ~20x slower); a key that
   * exists already (an attribute tracked before, a repeated backfill) gets the ids added to its set instead.
   */
  private async backfill(attributes: string[]): Promise<void> {
    const cursor = this.db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects).find({}, { projection: { attributes: 1 } });
    let batch = new Map<string, string[]>();
    let pending = 0;
    const flush = async () => {
      const docs = [...batch].map(([_id, ids]) => ({ _id, ids }));
      batch = new Map();
      pending = 0;
      await insertOrElse(this.keys, docs, (d) => ({ updateOne: { filter: { _id: d._id }, update: { $addToSet: { ids: { $each: d.ids } } }, upsert: true } }));
    };
    for await (const doc of cursor) {
      for (const key of keysOf(doc.attributes, attributes)) {
        const ids = batch.get(key);
        if (ids) ids.push(doc._id);
        else batch.set(key, [doc._id]);
        pending++;
      }
      if (pending >= 1000) await flush();
    }
    await flush();
  }

  /** Drops and recomputes every key from the IDM objects (repair tool; tests compare it with the maintained state). */
  async rebuild(): Promise<void> {
    const tracked = await this.tracked();
    await this.keys.deleteMany({});
    await this.backfill(tracked);
  }

  /** All keys, sorted, with sorted ids (for comparisons). */
  async snapshot(): Promise<Array<{ _id: string; ids: string[] }>> {
    const docs = await this.keys.find({}).toArray();
    return docs
      .map((d) => ({ _id: d._id, ids: [...d.ids].sort() }))
      .filter((d) => d.ids.length > 0)
      .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
  }
}
