import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Db, Filter } from 'mongodb';
import { AppError } from '../errors';
import { findByIds } from './by-ids';
import { COLLECTIONS } from './collections';
import { CorrelationKeys, keyOperations, type CorrelationKeyDoc } from './correlation-keys';
import { toIdmDoc, toIdmObject, type IdmObject, type IdmObjectDoc } from './idm-model';
import { narrowing, toMongoFilter, type SearchExpression } from './search-expression';

export type NewIdmObject = Omit<IdmObject, 'id' | 'createdAt' | 'updatedAt' | 'version'> & { id?: string };

/** The IDM repository of one tenant. Every write keeps the correlation keys in step. */
export class IdmObjectStore {
  readonly keys: CorrelationKeys;

  constructor(private readonly db: Db) {
    this.keys = new CorrelationKeys(db);
  }

  private get col() {
    return this.db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects);
  }

  async get(id: string): Promise<IdmObject | null> {
    const doc = await this.col.findOne({ _id: id });
    return doc ? toIdmObject(doc) : null;
  }

  /** Missing ids are absent. */
  async getMany(ids: Iterable<string>): Promise<Map<string, IdmObject>> {
    const out = new Map<string, IdmObject>();
    for (const [id, d] of await findByIds(this.col, ids)) out.set(id, toIdmObject(d));
    return out;
  }

  /** A page of the objects matching (the REST API's list), and how many match; narrowed like `find`. */
  async search(expr: SearchExpression, offset: number, limit: number): Promise<{ items: IdmObject[]; total: number }> {
    const query = await this.query(expr, await this.keys.tracked());
    if (!query) return { items: [], total: 0 };
    const [docs, total] = await Promise.all([this.col.find(query).sort({ _id: 1 }).skip(offset).limit(limit).toArray(), this.col.countDocuments(query)]);
    return { items: docs.map(toIdmObject), total };
  }

  /** The first `limit` objects matching, without a count (ObjectFinder of custom correlation). */
  async find(expr: SearchExpression, limit: number, tracked: readonly string[] = []): Promise<IdmObject[]> {
    const query = await this.query(expr, tracked);
    if (!query) return [];
    const docs = await this.col.find(query).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toIdmObject);
  }

  /**
   * The store query of an expression, or null when nothing can match. An equality on a `tracked` attribute is answered
   * through its correlation keys: only the objects holding the value, by `_id`, with the whole filter on them.
   * Otherwise a scan, which FerretDB does for every filter but one on `_id`.
   */
  private async query(expr: SearchExpression, tracked: readonly string[]): Promise<Filter<IdmObjectDoc> | null> {
    const filter = toMongoFilter(expr) as Filter<IdmObjectDoc>;
    const narrow = narrowing(expr, tracked);
    if (!narrow || '_id' in filter) return filter;
    const ids = await this.keys.lookup(narrow.attribute, narrow.values);
    return ids.size === 0 ? null : { ...filter, _id: { $in: [...ids] } };
  }

  async create(input: NewIdmObject): Promise<IdmObject> {
    const now = new Date().toISOString();
    const obj: IdmObject = { ...input, id: input.id ?? randomUUID(), createdAt: now, updatedAt: now, version: 1 };
    const tracked = await this.keys.tracked();
    try {
      await this.col.insertOne(toIdmDoc(obj));
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new AppError('CONFLICT', `An IDM object with id ${obj.id} already exists`, { id: obj.id });
      throw e;
    }
    await this.keys.apply(keyOperations(obj.id, undefined, obj.attributes, tracked));
    return obj;
  }

  /** Replaces an object's content; `expectedVersion` (when given) must match the stored one (optimistic lock). */
  async replace(id: string, input: Omit<NewIdmObject, 'id'>, expectedVersion?: number): Promise<IdmObject> {
    const before = await this.get(id);
    if (!before) throw new AppError('NOT_FOUND', `No IDM object with id ${id}`, { id });
    if (expectedVersion !== undefined && expectedVersion !== before.version)
      throw new AppError('CONFLICT', `IDM object ${id} is at version ${before.version}, not ${expectedVersion}`, { id, version: before.version });
    const after: IdmObject = { ...before, ...input, id, updatedAt: new Date().toISOString(), version: before.version + 1 };
    const res = await this.col.replaceOne({ _id: id, version: before.version }, toIdmDoc(after));
    if (res.matchedCount === 0) throw new AppError('CONFLICT', `IDM object ${id} was modified concurrently`, { id });
    const tracked = await this.keys.tracked();
    await this.keys.apply(keyOperations(id, before.attributes, after.attributes, tracked));
    return after;
  }

  async delete(id: string): Promise<boolean> {
    const before = await this.get(id);
    if (!before) return false;
    await this.col.deleteOne({ _id: id });
    await this.keys.apply(keyOperations(id, before.attributes, undefined, await this.keys.tracked()));
    return true;
  }

  /** Page-level writes of a sync run: one bulkWrite for objects, one for keys. */
  async bulk(objectOps: AnyBulkWriteOperation<IdmObjectDoc>[], keyOps: AnyBulkWriteOperation<CorrelationKeyDoc>[]): Promise<void> {
    if (objectOps.length) await this.col.bulkWrite(objectOps, { ordered: true });
    await this.keys.apply(keyOps);
  }
}
