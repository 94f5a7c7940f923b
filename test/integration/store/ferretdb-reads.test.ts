import { Binary, Double, Int32, Long, MongoClient, ObjectId } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';

/**
 * What the embedded FerretDB answers stays what it answered before three local changes (scripts/install-servers.sh):
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

  it('still refuses a NaN in a request (it drops the connection, as the unpatched build does), and stores nothing of it', async () => {
    await expect(col.insertOne({ _id: 'nan', v: NaN })).rejects.toThrow(/closed/);
    await expect(col.countDocuments({ _id: 'nan' })).resolves.toBe(0);
  });
});
