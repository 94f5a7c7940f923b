import { MongoClient } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { insertNew, insertOrElse, replaceById } from '../../../src/store/bulk-writes';

interface Doc {
  _id: string;
  n: number;
  v: string;
}

/**
 * A replayed page inserts documents that partly exist already. The embedded FerretDB inserts a command's documents in
 * one SQLite transaction (FERRETDB_INSERT_BATCH, 10,000): a duplicate `_id` fails that transaction, and FerretDB
 * must then insert the others one by one. Here against the real FerretDB, with more documents than its default
 * batch of 100 and duplicates at the start, middle and end.
 */
describe('batched inserts of documents believed new', () => {
  const client = new MongoClient(testEnv().mongoUri);
  const db = client.db(uniqueTenant('bulkwrites'));
  const count = 2_500;
  const existing = [0, 1_234, count - 1];
  const docs = (v: string): Doc[] => Array.from({ length: count }, (_, n) => ({ _id: `doc-${n}`, n, v }));

  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('insertNew inserts every new document and returns exactly those that existed, leaving them as they were', async () => {
    const col = db.collection<Doc>('insert-new');
    await col.insertMany(existing.map((n) => ({ _id: `doc-${n}`, n, v: 'before' })));
    const refused = await insertNew(col, docs('new'));
    expect(refused.map((d) => d.n)).toEqual(existing);
    expect(await col.countDocuments({})).toBe(count);
    expect(await col.countDocuments({ v: 'new' })).toBe(count - existing.length);
    expect((await col.find({ v: 'before' }).toArray()).map((d) => d.n).sort((a, b) => a - b)).toEqual(existing);
  });

  it('insertNew of a batch that all exists (a page replayed in full) changes nothing and returns it all', async () => {
    const col = db.collection<Doc>('replayed');
    await col.insertMany(docs('first'));
    const refused = await insertNew(col, docs('second'));
    expect(refused).toHaveLength(count);
    expect(await col.countDocuments({ v: 'first' })).toBe(count);
  });

  it('insertOrElse replaces the documents that existed with the new version', async () => {
    const col = db.collection<Doc>('insert-or-else');
    await col.insertMany(existing.map((n) => ({ _id: `doc-${n}`, n, v: 'before' })));
    await insertOrElse(col, docs('after'), replaceById);
    expect(await col.countDocuments({})).toBe(count);
    expect(await col.countDocuments({ v: 'after' })).toBe(count);
  });
});
