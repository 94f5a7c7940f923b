import type { Db } from 'mongodb';

interface SnapshotPageDoc {
  _id: string;
  ids: string[];
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
  cursor: AsyncIterable<{ _id: string }>,
  pageSize: number,
  onPage: () => void = () => undefined,
): Promise<{ pages: number; total: number }> {
  const col = db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION);
  let ids: string[] = [];
  let pages = 0;
  let total = 0;
  const flush = async () => {
    await col.replaceOne({ _id: `${snapshot}:${pages}` }, { ids }, { upsert: true });
    pages++;
    ids = [];
    onPage();
  };
  for await (const doc of cursor) {
    ids.push(doc._id);
    total++;
    if (ids.length >= pageSize) await flush();
  }
  if (ids.length) await flush();
  return { pages, total };
}

export async function readSnapshotPage(db: Db, snapshot: string, page: number): Promise<string[]> {
  return (await db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION).findOne({ _id: `${snapshot}:${page}` }))?.ids ?? [];
}

export async function deleteSnapshot(db: Db, snapshot: string, pages: number): Promise<void> {
  const col = db.collection<SnapshotPageDoc>(SNAPSHOT_COLLECTION);
  await Promise.all(Array.from({ length: pages }, (_, i) => col.deleteOne({ _id: `${snapshot}:${i}` })));
}
