import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type OptionalUnlessRequiredId } from 'mongodb';

/**
 * Inserts documents in one unordered batch and returns those whose `_id` already existed (left as they were).
 * FerretDB turns an insert batch into one SQLite transaction while every update or upsert is a transaction of its
 * own (measured ~10x slower), so documents believed new are inserted, not upserted.
 */
export async function insertNew<D extends { _id: string }>(col: Collection<D>, docs: D[]): Promise<D[]> {
  if (docs.length === 0) return [];
  try {
    await col.insertMany(docs as OptionalUnlessRequiredId<D>[], { ordered: false });
    return [];
  } catch (e) {
    if (!(e instanceof MongoBulkWriteError)) throw e;
    const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    if (errors.some((w) => w.code !== 11000)) throw e;
    return errors.map((w) => docs[w.index]!);
  }
}

/** Inserts documents believed new; those that exist after all (a replayed page) get `fallback` instead. */
export async function insertOrElse<D extends { _id: string }>(col: Collection<D>, docs: D[], fallback: (d: D) => AnyBulkWriteOperation<D>): Promise<void> {
  const existing = await insertNew(col, docs);
  await inCommands(existing.map(fallback), (chunk) => col.bulkWrite(chunk, { ordered: false }));
}

/** A full-document upsert by `_id`. */
export const replaceById = <D extends { _id: string }>(d: D): AnyBulkWriteOperation<D> => ({ replaceOne: { filter: { _id: d._id } as never, replacement: d, upsert: true } });

/**
 * Updates and replaces per bulkWrite command. FerretDB 1.24 keeps one SQLite connection per update that matched an
 * existing document until the whole command ends (msg_update.go defers each statement's iterator close to the end
 * of the command loop), and its pool has 100 connections per database: one command updating more than 100
 * existing documents (a reconciliation page of 500 LINKED shadows) waits for a connection forever, and every later
 * query of the tenant hangs with it. Three collections in parallel x 25 stays well below that pool.
 */
export const UPDATES_PER_COMMAND = 25;

export async function inCommands<T>(ops: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ops.length; i += UPDATES_PER_COMMAND) await write(ops.slice(i, i + UPDATES_PER_COMMAND));
}
