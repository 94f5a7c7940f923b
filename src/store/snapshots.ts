import type { Db } from 'mongodb';

/** One id of a snapshot, with the version of its document when it was frozen, if the writer recorded one. */
export interface SnapshotEntry {
  _id: string;
  version?: string;
}

interface SnapshotPageDoc {
  _id: string;
  ids: string[];
  versions?: string[];
}

export const SNAPSHOT_COLLECTION = 'runSnapshots';

/**
 * A run's frozen list of ids, in pages stored under `<snapshot>:<n>`: one streamed pass over a collection, then every
 * page is an `_id` look-up. Used where a scan must be resumable after a crash (deleted detection, provisioning
 * scope) without repeating a filter that FerretDB cannot push down.
 */
export async function writeSnapshot(
  db: Db,
  snapshot: string,
  cursor: AsyncIterable<SnapshotEntry>,
  pageSize: number,
  onPage: () => void = () => undefined,
): Promise<{ pages: number; total: number }> {
  const col = db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION);
  let ids: string[] = [];
  let versions: Array<string | undefined> = [];
  let pages = 0;
  let total = 0;
  const flush = async () => {
    const encoded = encodeVersions(versions);
    await col.replaceOne({ _id: `${snapshot}:${pages}` }, encoded ? { ids, versions: encoded } : { ids }, { upsert: true });
    pages++;
    ids = [];
    versions = [];
    onPage();
  };
  for await (const doc of cursor) {
    ids.push(doc._id);
    versions.push(typeof doc.version === 'string' ? doc.version : undefined);
    total++;
    if (ids.length >= pageSize) await flush();
  }
  if (ids.length) await flush();
  return { pages, total };
}

export async function readSnapshotPage(db: Db, snapshot: string, page: number): Promise<string[]> {
  return (await readPage(db, snapshot, page))?.ids ?? [];
}

/** A page of ids with the versions recorded beside them. */
export async function readSnapshotEntries(db: Db, snapshot: string, page: number): Promise<SnapshotEntry[]> {
  const doc = await readPage(db, snapshot, page);
  return (doc?.ids ?? []).map((_id, i) => {
    const version = decodeVersion(doc?.versions?.[i]);
    return version === undefined ? { _id } : { _id, version };
  });
}

/**
 * The `versions` column of a page beside its `ids`: absent when no id has a version; otherwise '' stands for "no
 * version" beside a versioned neighbour.
 */
export function encodeVersions(versions: ReadonlyArray<string | undefined>): string[] | undefined {
  return versions.some((v) => v !== undefined) ? versions.map((v) => v ?? '') : undefined;
}

export function decodeVersion(stored: unknown): string | undefined {
  return typeof stored === 'string' && stored !== '' ? stored : undefined;
}

function readPage(db: Db, snapshot: string, page: number): Promise<SnapshotPageDoc | null> {
  return db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION).findOne({ _id: `${snapshot}:${page}` });
}

export async function deleteSnapshot(db: Db, snapshot: string, pages: number): Promise<void> {
  const col = db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION);
  await Promise.all(Array.from({ length: pages }, (_, i) => col.deleteOne({ _id: `${snapshot}:${i}` })));
}
