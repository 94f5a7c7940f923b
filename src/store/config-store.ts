import type { Db, Document } from 'mongodb';
import { AppError } from '../errors';
import { RESOURCE_INFO, type ResourceType } from '../config/resource-types';

/** A configuration resource as stored and served: its properties plus the read-only metadata of SPEC.md §3. */
export type StoredResource = Record<string, unknown> & { id: string; createdAt: string; updatedAt: string; version: number };

/**
 * Properties kept as JSON text in the database: a search expression's `$and`/`$or` keys are not valid field names
 * for every MongoDB-compatible store, and the expression is only ever read whole.
 */
const JSON_TEXT_PROPERTIES: Partial<Record<ResourceType, string[]>> = { provisioningTaskDefinition: ['scope'] };

function toDocument(type: ResourceType, resource: StoredResource): Document {
  const { id, ...rest } = resource;
  const doc: Document = { _id: id, ...rest };
  for (const key of JSON_TEXT_PROPERTIES[type] ?? []) if (doc[key] !== undefined) doc[key] = JSON.stringify(doc[key]);
  return doc;
}

function fromDocument(type: ResourceType, doc: Document): StoredResource {
  const { _id, ...rest } = doc;
  const resource = { id: String(_id), ...rest } as StoredResource;
  for (const key of JSON_TEXT_PROPERTIES[type] ?? []) if (typeof resource[key] === 'string') resource[key] = JSON.parse(resource[key]) as unknown;
  return resource;
}

/**
 * One collection per resource type in the tenant database, `_id` = resource id. Every single-resource access is an
 * `_id` equality (the only filter FerretDB pushes down, ARCHITECTURE.md §4); lists are whole (small) collections.
 */
export class ConfigStore {
  constructor(private readonly db: Db) {}

  private collection(type: ResourceType) {
    return this.db.collection(RESOURCE_INFO[type].collection);
  }

  /** Every resource of a type, sorted by id (code unit order, the same everywhere). */
  async list(type: ResourceType): Promise<StoredResource[]> {
    const docs = await this.collection(type).find({}).toArray();
    return docs.map((d) => fromDocument(type, d)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async get(type: ResourceType, id: string): Promise<StoredResource | undefined> {
    const doc = await this.collection(type).findOne({ _id: id as unknown as Document['_id'] });
    return doc ? fromDocument(type, doc) : undefined;
  }

  /** Inserts a new resource; 409 when the id is taken (also by a concurrent insert). */
  async insert(type: ResourceType, resource: StoredResource): Promise<void> {
    try {
      await this.collection(type).insertOne(toDocument(type, resource));
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw duplicate(type, resource.id);
      throw e;
    }
  }

  /** Replaces a resource if it is still at `expectedVersion`; 409 when someone else changed it meanwhile. */
  async replace(type: ResourceType, resource: StoredResource, expectedVersion: number): Promise<void> {
    const { _id, ...doc } = toDocument(type, resource);
    const r = await this.collection(type).replaceOne({ _id, version: expectedVersion }, doc);
    if (r.matchedCount === 0) {
      throw new AppError('CONFLICT', `${RESOURCE_INFO[type].label} ${JSON.stringify(resource.id)} was changed concurrently`, { id: resource.id, expectedVersion });
    }
  }

  /** Deletes a resource; false when it did not exist. */
  async remove(type: ResourceType, id: string): Promise<boolean> {
    const r = await this.collection(type).deleteOne({ _id: id as unknown as Document['_id'] });
    return r.deletedCount === 1;
  }
}

export function duplicate(type: ResourceType, id: string): AppError {
  return new AppError('CONFLICT', `${RESOURCE_INFO[type].label} ${JSON.stringify(id)} already exists`, { id }, 'Use PUT to update it, or choose another id');
}
