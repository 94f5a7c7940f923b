import { Binary, Double, Int32, Long, MongoClient, ObjectId } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';

/**
 * What the embedded FerretDB answers stays what it answered before its local changes (scripts/install-servers.sh):
 * stored documents are split into their members without encoding/json's decoder, a find without a projection
 * returns each document as read instead of a copy built by the projection code, and replies are no longer validated
 * again when marshalled (requests still are). Every document read back must equal the one written. The reference for the first is the
 * same find through the projection code (an exclusion of a field no document has); for the second, FerretDB still
 * refuses a NaN in a request, as the unpatched build does.
 */
describe("FerretDB's reads (local patches)", () => {
  const client = new MongoClient(testEnv().mongoUri, { promoteValues: false, promoteLongs: false });
  const col = client.db(uniqueTenant('reads')).collection<{ _id: string; [field: string]: unknown }>('docs');
  const docs = [
    // _id given last: FerretDB stores it first, as MongoDB does
    { z: 1, a: 'first', _id: 'doc-1' },
    {
      _id: 'doc-2',
      s: 'quote " backslash \\ line\u2028sep é✓😀',
      n: new Int32(7),
      l: Long.fromString('9007199254740993'),
      d: new Double(1.5),
      b: true,
      nil: null,
      date: new Date('2026-11-23T08:00:00.000Z'),
      oid: new ObjectId('65a1b2c3d4e5f60718293a4b'),
      bin: new Binary(Buffer.from([0, 1, 2, 255])),
      arr: ['x', new Int32(2), { k: 'v', e: [] }],
      nested: { b: { c: 'deep' }, a: [] },
    },
    { _id: 'doc-3', json: '{"$gt": ""}', sql: "x' OR 1=1 --", html: '<b>&amp;</b>', empty: '', nul: 'a\u0000b' },
    // what a reader that only delimits members could get wrong: brackets, quotes, backslashes, commas and colons
    // inside strings, non-ASCII keys, empty and deep documents (FerretDB 1.24 itself cannot store a key with a quote,
    // a backslash or a control character, patched or not)
    {
      _id: 'doc-4',
      quoted: 'say "hi", \\"escaped\\"',
      'ünï cödé ✓': '}]},{"a":[',
      braces: '{[(',
      sep: ',:,:',
      empty: {},
      deep: { l1: { l2: { l3: { s: 'a}b]c', arr: ['}', ']', '"', { x: '{' }] } } } },
      many: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, `value ${i}`])),
    },
    { _id: 'doc-5' },
  ];

  beforeAll(async () => {
    await col.insertMany(docs.map((d) => ({ ...d })));
  });
  afterAll(() => client.close());

  it('a find without a projection returns every document exactly as the projection code does, _id first', async () => {
    const plain = await col.find({}).sort({ _id: 1 }).toArray();
    const projected = await col.find({}, { projection: { noSuchField: 0 } }).sort({ _id: 1 }).toArray();
    expect(plain).toHaveLength(docs.length);
    expect(plain).toEqual(projected);
    expect(plain.map((d) => Object.keys(d))).toEqual(projected.map((d) => Object.keys(d)));
    expect(Object.keys(plain[0]!)).toEqual(['_id', 'z', 'a']);
    expect(plain.slice(1)).toEqual(docs.slice(1));
    expect(Object.keys(plain[3]!)).toEqual(Object.keys(docs[3]!));
  });

  it('an _id $in look-up (what a page reads) returns the same documents as a scan', async () => {
    const byIds = await col.find({ _id: { $in: ['doc-3', 'doc-1', 'missing'] } }).sort({ _id: 1 }).toArray();
    const scanned = (await col.find({}).sort({ _id: 1 }).toArray()).filter((d) => d._id === 'doc-1' || d._id === 'doc-3');
    expect(byIds).toEqual(scanned);
  });

  describe('a find or count that reads a few top-level fields decodes only those (patch 8), and answers as a scan does', () => {
    type Doc = Record<string, unknown>;
    const pick = (d: Doc, keys: string[]) => Object.fromEntries(Object.entries(d).filter(([k]) => keys.includes(k)));
    const deepS: Doc = { _id: 'doc-4', deep: { l1: { l2: { l3: { s: 'a}b]c' } } } } };
    const cases: Array<{ name: string; filter: Doc; projection: Doc; expected: (d: Doc) => Doc | null }> = [
      { name: 'equality on a boolean, two fields projected', filter: { b: true }, projection: { _id: 1, s: 1 }, expected: (d) => (d.b === true ? pick(d, ['_id', 's']) : null) },
      { name: 'no filter, _id excluded', filter: {}, projection: { _id: 0, quoted: 1, many: true }, expected: (d) => pick(d, ['quoted', 'many']) },
      { name: 'an operator on a projected field', filter: { n: { $gt: 5 } }, projection: { n: 1, arr: 1 }, expected: (d) => (d._id === 'doc-2' ? pick(d, ['_id', 'n', 'arr']) : null) },
      { name: 'a filter field not projected', filter: { empty: { $exists: true } }, projection: { html: 1 }, expected: (d) => ('empty' in d ? pick(d, ['_id', 'html']) : null) },
      { name: 'a field no document has', filter: { missing: null }, projection: { a: 1 }, expected: (d) => pick(d, ['_id', 'a']) },
      // shapes that read other fields: every field is decoded, as before the patch
      { name: 'a dotted filter', filter: { 'nested.b.c': 'deep' }, projection: { nested: 1 }, expected: (d) => (d._id === 'doc-2' ? pick(d, ['_id', 'nested']) : null) },
      { name: '$or', filter: { $or: [{ _id: 'doc-1' }, { b: true }] }, projection: { z: 1 }, expected: (d) => (d._id === 'doc-1' || d.b === true ? pick(d, ['_id', 'z']) : null) },
      { name: 'an exclusion projection', filter: { _id: 'doc-3' }, projection: { sql: 0, nul: 0 }, expected: (d) => (d._id === 'doc-3' ? Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'sql' && k !== 'nul')) : null) },
      { name: 'a dotted projection', filter: { _id: 'doc-4' }, projection: { 'deep.l1.l2.l3.s': 1 }, expected: (d) => (d._id === 'doc-4' ? deepS : null) },
    ];

    it.each(cases)('$name', async ({ filter, projection, expected }) => {
      const all = (await col.find({}).sort({ _id: 1 }).toArray()) as Doc[];
      const want = all.map(expected).filter((d): d is Doc => d !== null);
      // no sort: a sort reads its own fields, so a find with one decodes every field
      const got = (await col.find(filter, { projection }).toArray()).sort((a, b) => String(a._id).localeCompare(String(b._id)));
      expect(got).toEqual(want);
      expect(got.map((d) => Object.keys(d))).toEqual(want.map((d) => Object.keys(d)));
      expect(want.length).toBeGreaterThan(0);
    });

    it('without a sort too (the shape the deleted detection sends)', async () => {
      const got = await col.find({ b: true }, { projection: { _id: 1, nil: 1, date: 1 } }).toArray();
      expect(got).toEqual([{ _id: 'doc-2', nil: null, date: new Date('2026-11-23T08:00:00.000Z') }]);
    });

    it('a count command counts what a scan finds', async () => {
      const count = async (query: Doc) => (await client.db(col.dbName).command({ count: col.collectionName, query })).n as number;
      await expect(count({})).resolves.toBe(docs.length);
      await expect(count({ b: true })).resolves.toBe(1);
      await expect(count({ empty: { $exists: true } })).resolves.toBe(2);
      await expect(count({ 'deep.l1.l2.l3.s': 'a}b]c' })).resolves.toBe(1);
      await expect(count({ $or: [{ z: 1 }, { b: true }] })).resolves.toBe(2);
    });
  });

  it('still refuses a NaN in a request (it drops the connection, as the unpatched build does), and stores nothing of it', async () => {
    await expect(col.insertOne({ _id: 'nan', v: NaN })).rejects.toThrow(/closed/);
    await expect(col.countDocuments({ _id: 'nan' })).resolves.toBe(0);
  });
});
