import { MongoClient, type Collection, type Db } from 'mongodb';
import { COLLECTIONS, runCollection } from '../../../src/store/collections';
import { PageJournal, type PagePlan } from '../../../src/store/page-journal';
import { cut, PART_CHARS, readTextParts, writeTextParts, type TextPartDoc } from '../../../src/store/text-parts';
import { testEnv, uniqueTenant } from '../../harness/env';

describe('texts stored in parts (journal plans, staged pages)', () => {
  let client: MongoClient;
  let db: Db;
  let col: Collection<TextPartDoc>;

  beforeAll(async () => {
    client = await new MongoClient(testEnv().mongoUri).connect();
    db = client.db(`idmsync_${uniqueTenant('parts')}`);
    col = db.collection<TextPartDoc>('parts');
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('stores a text in parts of the size, the first with the count and the fields, and reads it back whole', async () => {
    const text = 'Zoë 😀 ' + 'x'.repeat(20) + '😀😀"\\\n\u0000end'; // multi-byte, characters outside the BMP, escapes
    await writeTextParts(col, 'doc', text, { savedAt: 'now' }, 7);
    const docs = await col.find({ _id: { $regex: '^doc' } }).toArray();
    expect(docs.length).toBe(cut(text, 7).length);
    expect(docs.length).toBeGreaterThanOrEqual(Math.ceil(text.length / 7));
    expect(docs.find((d) => d._id === 'doc')).toEqual(expect.objectContaining({ parts: docs.length, savedAt: 'now' }));
    expect(await readTextParts(col, 'doc')).toBe(text);
  });

  it('a short text is one document without a part count; rewriting a text replaces it', async () => {
    await writeTextParts(col, 'short', 'a long text to start with', {}, 5);
    await writeTextParts(col, 'short', 'tiny', {}, 5);
    expect(await col.findOne({ _id: 'short' })).toEqual({ _id: 'short', text: 'tiny' });
    expect(await readTextParts(col, 'short')).toBe('tiny');
  });

  it('is absent until its first document exists, and a missing part is an error, not a shorter text', async () => {
    expect(await readTextParts(col, 'nothing')).toBeNull();
    await writeTextParts(col, 'holed', 'abcdefghij', {}, 3);
    await col.deleteOne({ _id: 'holed#2' });
    await expect(readTextParts(col, 'holed')).rejects.toThrow(/Part 2 of "holed" in parts is missing/);
  });

  describe('the page journal', () => {
    const plan = (outcome: string): PagePlan<{ note: string }> => ({ objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], shadowUpserts: [], outcomes: [{ note: outcome }] });
    const names = async () => (await db.listCollections().toArray()).map((c) => c.name);

    it("saves a plan larger than a document may hold in the run's own collection, finds it whole, and drops it with the run", async () => {
      const journal = new PageJournal(db, 'run-1');
      const big = plan('😀'.repeat(PART_CHARS) + 'y'.repeat(PART_CHARS)); // 20 MiB of UTF-8: more than a document holds
      await journal.save('run-1:a0', big);
      await journal.save('run-1:a1', plan('small'));
      const own = runCollection('pageJournal', 'run-1');
      expect(await db.collection(own).countDocuments()).toBe(cut(JSON.stringify(big), PART_CHARS).length + 1);
      expect(await journal.find('run-1:a0')).toEqual(big);
      expect(await journal.find('run-1:a1')).toEqual(plan('small'));
      expect(await new PageJournal(db, 'run-9').find('run-1:a1')).toBeNull(); // another run's journal
      await journal.forgetRun();
      expect(await names()).not.toContain(own);
      expect(await journal.find('run-1:a0')).toBeNull();
    });

    it('finds and forgets the entries a run journaled in the shared collection before runs had their own, and only its own', async () => {
      const shared = db.collection(COLLECTIONS.pageJournal);
      const old = plan('saved by an earlier version');
      await shared.insertMany([
        { _id: 'run-2:a3', plan: JSON.stringify(old), savedAt: '2026-11-01T00:00:00.000Z' },
        { _id: 'run-22:a0', plan: JSON.stringify(plan('another run')), savedAt: '2026-11-01T00:00:00.000Z' },
      ] as object[]);
      const journal = new PageJournal(db, 'run-2');
      expect(await journal.find('run-2:a3')).toEqual(old);
      await journal.forgetRun();
      expect(await journal.find('run-2:a3')).toBeNull();
      expect((await shared.find({}).toArray()).map((d) => d._id)).toEqual(['run-22:a0']);
    });

    it('a run that journaled nothing is forgotten without error', async () => {
      await expect(new PageJournal(db, 'run-3').forgetRun()).resolves.toBeUndefined();
    });
  });
});
