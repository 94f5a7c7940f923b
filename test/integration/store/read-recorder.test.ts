import { MongoClient } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { findByIds } from '../../../src/store/by-ids';
import { COLLECTIONS } from '../../../src/store/collections';
import { IdmObjectStore } from '../../../src/store/idm-objects';
import { ReadOnlyViolation, ReadRecorder, WHOLE_COLLECTION } from '../../../src/store/read-recorder';
import { SeenMarks } from '../../../src/store/seen-marks';

/**
 * The read-only, recording view a page decided ahead reads the store through (activities/decide-ahead.ts): it must
 * answer reads exactly as the database does, record what they depend on, and let nothing change the database.
 */
/** The shadows collection as seen through a recorder (string ids, like the service's). */
const shadowsOf = (r: ReadRecorder) => r.db.collection<{ _id: string; uid?: string }>(COLLECTIONS.shadows);

describe('ReadRecorder (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri);
  afterAll(async () => client.close());

  async function seeded() {
    const db = client.db(uniqueTenant('rec'));
    await db.collection(COLLECTIONS.shadows).insertMany([
      { _id: 's1', uid: 'u1' },
      { _id: 's2', uid: 'u2' },
      { _id: 's3', uid: 'u3' },
    ] as never[]);
    return db;
  }

  it('answers id reads as the database does and records every id asked for, found or not', async () => {
    const db = await seeded();
    const rec = new ReadRecorder(db);
    const shadows = rec.db.collection<{ _id: string; uid: string }>(COLLECTIONS.shadows);
    const found = await findByIds(shadows, ['s1', 's3', 'missing']);
    expect([...found.keys()].sort()).toEqual(['s1', 's3']);
    expect(await shadows.findOne({ _id: 's2' })).toEqual({ _id: 's2', uid: 'u2' });
    expect(await shadows.find({ _id: { $eq: 'nope' } }).toArray()).toEqual([]);
    expect(rec.reads).toEqual(new Map([[COLLECTIONS.shadows, new Set(['s1', 's3', 'missing', 's2', 'nope'])]]));
    expect(rec.violation).toBeNull();
  });

  it('records a scan, a count or a distinct as a read of the whole collection', async () => {
    const db = await seeded();
    for (const read of [
      (r: ReadRecorder) => shadowsOf(r).find({ uid: 'u2' }).toArray(),
      (r: ReadRecorder) => shadowsOf(r).find({ _id: { $regex: '^s' } }).toArray(),
      (r: ReadRecorder) => shadowsOf(r).find({ $or: [{ _id: 's1' }, { _id: 's2' }] }).toArray(),
      (r: ReadRecorder) => shadowsOf(r).countDocuments({ _id: 's1' }),
      (r: ReadRecorder) => shadowsOf(r).distinct('uid'),
      (r: ReadRecorder) => shadowsOf(r).estimatedDocumentCount(),
    ]) {
      const rec = new ReadRecorder(db);
      await read(rec);
      expect(rec.reads).toEqual(new Map([[COLLECTIONS.shadows, WHOLE_COLLECTION]]));
    }
    // ObjectFinder's scan of the repository, through the store's own code
    const rec = new ReadRecorder(db);
    expect(await new IdmObjectStore(rec.db).find({ department: 'Finance' }, 5)).toEqual([]);
    expect(rec.reads.get(COLLECTIONS.idmObjects)).toBe(WHOLE_COLLECTION);
  });

  it('refuses every write, aggregation and command, voids the recording and leaves the database as it was', async () => {
    const db = await seeded();
    const attempts: Array<[string, (r: ReadRecorder) => Promise<unknown>]> = [
      ['shadows.insertOne', (r) => shadowsOf(r).insertOne({ _id: 's9' })],
      ['shadows.insertMany', (r) => shadowsOf(r).insertMany([{ _id: 's9' }])],
      ['shadows.updateOne', (r) => shadowsOf(r).updateOne({ _id: 's1' }, { $set: { uid: 'x' } })],
      ['shadows.replaceOne', (r) => shadowsOf(r).replaceOne({ _id: 's1' }, { uid: 'x' })],
      ['shadows.deleteMany', (r) => shadowsOf(r).deleteMany({})],
      ['shadows.bulkWrite', (r) => shadowsOf(r).bulkWrite([{ deleteOne: { filter: { _id: 's1' } } }])],
      ['shadows.findOneAndUpdate', (r) => shadowsOf(r).findOneAndUpdate({ _id: 's1' }, { $set: { uid: 'x' } })],
      ['shadows.aggregate', (r) => shadowsOf(r).aggregate([{ $match: {} }]).toArray()],
      ['shadows.drop', (r) => shadowsOf(r).drop()],
      ['shadows.createIndex', (r) => shadowsOf(r).createIndex({ uid: 1 })],
      ['shadows.rename', (r) => shadowsOf(r).rename('elsewhere')],
      ['Db.command', (r) => r.db.command({ drop: COLLECTIONS.shadows })],
      ['Db.dropDatabase', (r) => r.db.dropDatabase()],
      ['Db.createCollection', (r) => r.db.createCollection('fresh')],
      ['Db.renameCollection', (r) => r.db.renameCollection(COLLECTIONS.shadows, 'elsewhere')],
      // a run's own collections through the store's code: a seen mark written ahead of its turn
      ['seenMarks', (r) => new SeenMarks(r.db, 'r').add([{ _id: 's1', line: 2 }])],
    ];
    for (const [what, attempt] of attempts) {
      const rec = new ReadRecorder(db);
      let thrown: unknown;
      try {
        await attempt(rec);
      } catch (e) {
        thrown = e;
      }
      expect([what, thrown]).toEqual([what, expect.any(ReadOnlyViolation)]);
      expect(rec.violation).toMatch(what === 'seenMarks' ? /^seenMarks_[0-9a-f]{32}\.insertMany$/ : new RegExp(`^${what.replace('.', '\\.')}$`));
    }
    expect(await db.collection(COLLECTIONS.shadows).find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 's1', uid: 'u1' },
      { _id: 's2', uid: 'u2' },
      { _id: 's3', uid: 'u3' },
    ]);
    expect((await db.listCollections().toArray()).map((c) => c.name).sort()).toEqual([COLLECTIONS.shadows]);
  });

  it('keeps the first violation, and passes properties that are not methods through', async () => {
    const db = await seeded();
    const rec = new ReadRecorder(db);
    // refused at the call, before anything is sent (also for methods that do not return a promise)
    expect(() => shadowsOf(rec).deleteOne({})).toThrow('shadows.deleteOne is not allowed on a read-only view of the store');
    expect(() => shadowsOf(rec).initializeUnorderedBulkOp()).toThrow(ReadOnlyViolation);
    rec.refuse('connector.delete');
    expect(rec.violation).toBe('shadows.deleteOne');
    expect(rec.db.databaseName).toBe(db.databaseName);
    expect(shadowsOf(rec).collectionName).toBe(COLLECTIONS.shadows);
  });
});
