import { MongoClient, type Db } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { readSnapshotEntries, readSnapshotPage, SNAPSHOT_COLLECTION } from '../../../src/store/snapshots';
import { writeSortedSnapshot, type SnapshotSort } from '../../../src/store/sorted-snapshot';

interface Obj {
  _id: string;
  kind: string;
  attributes: Record<string, unknown>;
}

// Hostile sort values: every type, empty and mixed arrays, nulls, missing fields, non-BMP and full-width characters.
const VALUES: unknown[] = [
  null, undefined, 0, -1.5, 1e15, 42, '', 'a', 'B', 'é', '\uFF01', '😀', 'Zoë', [], [3, 1], ['b', 'a'], [null, 'x'], [true, 2],
  ['😀', '\uFF01'], { k: 1 }, { k: 'v', j: 2 }, true, false, '42', [{ k: 0 }, 7],
];

async function seed(db: Db, count: number): Promise<void> {
  const docs: Obj[] = Array.from({ length: count }, (_, i) => {
    const v = VALUES[(i * 7) % VALUES.length];
    return { _id: `obj-${String((i * 37) % count).padStart(4, '0')}-${i}`, kind: i % 5 === 0 ? 'OTHER' : 'IDENTITY', attributes: v === undefined ? {} : { x: v } };
  });
  await db.collection<Obj>('idmObjects').insertMany(docs);
}

async function snapshotIds(db: Db, name: string, pages: number): Promise<string[]> {
  const out: string[] = [];
  for (let p = 0; p < pages; p++) out.push(...(await readSnapshotPage(db, name, p)));
  return out;
}

/** The order FerretDB itself gives the same query (what the prepare asked of it before). */
async function serverOrder(db: Db, sort: SnapshotSort): Promise<string[]> {
  const s = sort.path === '_id' ? { _id: sort.direction } : { [sort.path]: sort.direction, _id: 1 as const };
  const docs = await db.collection<Obj>('idmObjects').find({ kind: 'IDENTITY' }, { projection: { _id: 1 } }).sort(s).toArray();
  return docs.map((d) => d._id);
}

describe('scope sorted by an external merge sort (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri);
  afterAll(async () => client.close());

  const sorts: SnapshotSort[] = [
    { path: 'attributes.x', direction: 1 },
    { path: 'attributes.x', direction: -1 },
    { path: '_id', direction: 1 },
    { path: '_id', direction: -1 },
    { path: 'attributes.missing.deeper', direction: 1 },
  ];

  it.each(sorts)('gives the order FerretDB gives, in one chunk or merged from many runs: %o', async (sort) => {
    const db = client.db(uniqueTenant('sort'));
    await seed(db, 230);
    const expected = await serverOrder(db, sort);
    expect(expected).toHaveLength(184);
    for (const chunkSize of [1_000, 50, 7]) {
      let pagesSeen = 0;
      const r = await writeSortedSnapshot(db, `run-${chunkSize}:scope`, db.collection<Obj>('idmObjects'), { kind: 'IDENTITY' }, sort, 20, () => pagesSeen++, { chunkSize });
      expect(r).toEqual({ pages: 10, total: 184 });
      expect(await snapshotIds(db, `run-${chunkSize}:scope`, r.pages)).toEqual(expected);
      expect(pagesSeen).toBeGreaterThanOrEqual(10);
    }
    // the sorted runs are removed once merged: only the three final snapshots remain
    const left = await db.collection(SNAPSHOT_COLLECTION).find({}, { projection: { _id: 1 } }).toArray();
    expect(left.map((d) => String(d._id)).filter((id) => id.includes('~sort'))).toEqual([]);
    expect(left).toHaveLength(30);
  });

  it('carries a version of each document beside its id, through the merge too; none where the document has none', async () => {
    const db = client.db(uniqueTenant('sort'));
    const col = db.collection<Obj & { version?: number }>('idmObjects');
    await col.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `o${String(i).padStart(2, '0')}`, kind: 'IDENTITY', attributes: { x: 30 - i }, ...(i % 4 === 0 ? {} : { version: i }) })));
    const version = { fields: ['version'], of: (d: Record<string, unknown>) => (typeof d.version === 'number' ? `v${d.version}` : undefined) };
    for (const chunkSize of [100, 4]) {
      const r = await writeSortedSnapshot(db, `v-${chunkSize}`, col, {}, { path: 'attributes.x', direction: 1 }, 8, undefined, { chunkSize, version });
      const entries = (await Promise.all(Array.from({ length: r.pages }, (_, p) => readSnapshotEntries(db, `v-${chunkSize}`, p)))).flat();
      const expected = Array.from({ length: 30 }, (_, k) => 29 - k).map((i) => ({ _id: `o${String(i).padStart(2, '0')}`, ...(i % 4 === 0 ? {} : { version: `v${i}` }) }));
      expect(entries).toEqual(expected);
    }
  });

  it('writes an empty snapshot for an empty scope, and the same snapshot when repeated', async () => {
    const db = client.db(uniqueTenant('sort'));
    await seed(db, 40);
    const col = db.collection<Obj>('idmObjects');
    expect(await writeSortedSnapshot(db, 'empty', col, { kind: 'NOBODY' }, { path: 'attributes.x', direction: 1 }, 10)).toEqual({ pages: 0, total: 0 });
    const sort: SnapshotSort = { path: 'attributes.x', direction: -1 };
    const first = await writeSortedSnapshot(db, 'again', col, {}, sort, 10, undefined, { chunkSize: 3 });
    const ids = await snapshotIds(db, 'again', first.pages);
    expect(await writeSortedSnapshot(db, 'again', col, {}, sort, 10, undefined, { chunkSize: 3 })).toEqual(first);
    expect(await snapshotIds(db, 'again', first.pages)).toEqual(ids);
    expect(new Set(ids).size).toBe(40);
  });
});
