import { MongoClient, ObjectId } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';

type Id = string | number | ObjectId | { k: string };
interface Doc {
  _id: Id;
  n: number;
}

/**
 * FerretDB's answers to `_id $in` stay those of MongoDB under the local patches (scripts/ferretdb/): the SQL pushdown
 * of a list of strings, and the handler's set look-up for such a list (16 values or more). The collection mixes
 * `_id` types, since the set only decides for a string `_id` and must leave every other case to the full filter.
 */
describe("FerretDB's _id $in filter (local patches)", () => {
  const client = new MongoClient(testEnv().mongoUri);
  const col = client.db(uniqueTenant('idin')).collection<Doc>('docs');
  const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');
  // ids an account can carry: quotes, backslashes, operators, JSON/SQL/HTML look-alikes, line separators, non-ASCII
  const hostile = ['a"b', 'c\\d', '$in', "x' OR 1=1 --", '{"$gt":""}', '<b>&amp;', 'l\u2028s', 'é✓😀', ' ', ''];
  const strings = [...Array.from({ length: 40 }, (_, i) => `id-${i}`), ...hostile, '5'];
  const others: Id[] = [5, oid, { k: 'id-1' }];

  beforeAll(async () => {
    await col.insertMany([...strings, ...others].map((_id, n) => ({ _id, n })));
  });
  afterAll(() => client.close());

  const ids = async (filter: object): Promise<Id[]> => (await col.find(filter).sort({ n: 1 }).toArray()).map((d) => d._id);

  it('a list of strings finds exactly the documents whose _id is one of them, not a number or document alike', async () => {
    const wanted = [...strings.filter((_, i) => i % 3 === 0), 'missing', 'ID-3', 'id-3 ', 'id-0', 'id-0', '5', ...hostile];
    const expected = strings.filter((s) => wanted.includes(s));
    expect(expected).toContain('5');
    await expect(ids({ _id: { $in: wanted } })).resolves.toEqual(expected);
    await expect(col.countDocuments({ _id: { $in: wanted } })).resolves.toBe(expected.length);
  });

  it('a long list with a value of another type is filtered in full: numbers, ObjectIds and documents match', async () => {
    const list = [...strings.slice(0, 20), 5, oid, { k: 'id-1' }];
    await expect(ids({ _id: { $in: list } })).resolves.toEqual([...strings.slice(0, 20), 5, oid, { k: 'id-1' }]);
    await expect(ids({ _id: { $in: [...strings.slice(0, 20), /^id-3/] } })).resolves.toEqual(strings.filter((s, i) => i < 20 || s.startsWith('id-3')));
  });

  it('a short list and a list beside another condition give the same answers', async () => {
    await expect(ids({ _id: { $in: ['id-1', '5', 'nope'] } })).resolves.toEqual(['id-1', '5']);
    await expect(ids({ _id: { $in: strings }, n: { $lt: 3 } })).resolves.toEqual(['id-0', 'id-1', 'id-2']);
    await expect(ids({ _id: { $in: strings, $ne: 'id-0' }, n: { $lt: 3 } })).resolves.toEqual(['id-1', 'id-2']);
  });

  it('updates and deletes through such a list touch exactly its documents', async () => {
    const list = [...hostile, ...strings.slice(0, 10), 'missing'];
    const updated = await col.updateMany({ _id: { $in: list } }, { $set: { n: -1 } });
    expect(updated.modifiedCount).toBe(hostile.length + 10);
    await expect(ids({ n: -1 })).resolves.toHaveLength(hostile.length + 10);
    const deleted = await col.deleteMany({ _id: { $in: list } });
    expect(deleted.deletedCount).toBe(hostile.length + 10);
    await expect(col.countDocuments({})).resolves.toBe(strings.length + others.length - hostile.length - 10);
    await expect(ids({ _id: { $in: [5, oid] } })).resolves.toEqual([5, oid]);
  });
});
