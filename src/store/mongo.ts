import { sha256 } from '../sha256';
import { MongoClient, type Db } from 'mongodb';

/** Tenant ids are validated by the API (SPEC.md §2); this is the database name rule shared by every process. */
export const TENANT_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;

const MAX_DB_NAME = 63; // FerretDB's limit (MongoDB allows 64 bytes)

/** One database per tenant: `<prefix>_<tenant>`, shortened with a hash when the name would be too long. */
export function tenantDbName(prefix: string, tenant: string): string {
  if (!TENANT_ID_RE.test(tenant)) throw new Error(`invalid tenant id ${JSON.stringify(tenant)}`);
  const full = `${prefix}_${tenant}`;
  if (full.length <= MAX_DB_NAME) return full;
  const hash = sha256(tenant, 'hex').slice(0, 16);
  return `${full.slice(0, MAX_DB_NAME - 17)}_${hash}`;
}

export function connectMongo(uri: string): MongoClient {
  // Fail fast when the store is down (healthz must answer quickly), and keep the pool small on a 2-core box.
  return new MongoClient(uri, { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, maxPoolSize: 50 });
}

/** Resolves a tenant's database from a shared client. */
export class TenantDbs {
  constructor(
    readonly client: MongoClient,
    private readonly prefix: string,
  ) {}

  db(tenant: string): Db {
    return this.client.db(tenantDbName(this.prefix, tenant));
  }
}

/**
 * Whether the store answers queries from secondary indexes. MongoDB does; FerretDB 1.x on SQLite creates and
 * maintains them on every write but only ever pushes `_id` conditions down to SQLite, so there an index is pure cost
 * (its key is extracted from the document's JSON on every insert and replace). Told apart by `buildInfo`, where
 * FerretDB adds `ferretdbVersion`.
 */
export function usesSecondaryIndexes(buildInfo: Record<string, unknown>): boolean {
  return !('ferretdbVersion' in buildInfo);
}

const secondaryIndexes = new WeakMap<MongoClient, Promise<boolean>>();

/** `usesSecondaryIndexes` of the client's server, asked once per client. */
export function storeUsesSecondaryIndexes(client: MongoClient): Promise<boolean> {
  let answer = secondaryIndexes.get(client);
  if (!answer) {
    answer = client
      .db('admin')
      .command({ buildInfo: 1 })
      .then((info) => usesSecondaryIndexes(info));
    // a failed look-up is asked again next time instead of being remembered
    answer.catch(() => secondaryIndexes.delete(client));
    secondaryIndexes.set(client, answer);
  }
  return answer;
}
