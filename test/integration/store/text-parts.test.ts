import { MongoClient, type Collection, type Db } from 'mongodb';
import { COLLECTIONS } from '../../../src/store/collections';
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

    it('saves a plan larger than a document may hold, and finds it whole', async () => {
      const journal = new PageJournal(db);
      const big = plan('😀'.repeat(PART_CHARS) + 'y'.repeat(PART_CHARS)); // 20 MiB of UTF-8: more than a document holds
      await journal.save('run-1:a0', big);
      expect(await db.collection(COLLECTIONS.pageJournal).countDocuments({ _id: { $regex: '^run-1:a0' } } as object)).toBe(cut(JSON.stringify(big), PART_CHARS).length);
      expect(await journal.find('run-1:a0')).toEqual(big);
      await journal.forgetRun('run-1');
      expect(await db.collection(COLLECTIONS.pageJournal).countDocuments({})).toBe(0);
      expect(await journal.find('run-1:a0')).toBeNull();
    });

    it('finds a plan saved before plans were stored in parts', async () => {
      const old = plan('saved by an earlier version');
      await db.collection(COLLECTIONS.pageJournal).insertOne({ _id: 'run-2:a3', plan: JSON.stringify(old), savedAt: '2026-11-01T00:00:00.000Z' } as object);
      expect(await new PageJournal(db).find('run-2:a3')).toEqual(old);
    });
  });
});
