import { boundingIds, overlap, WHOLE_COLLECTION, type ReadSet, type WriteSet } from '../../../src/store/read-recorder';

describe('boundingIds: the ids a filter restricts its documents to', () => {
  it('takes an _id equality, $eq or $in of strings at the top level, whatever else the filter says', () => {
    expect(boundingIds({ _id: 'a' })).toEqual(['a']);
    expect(boundingIds({ _id: { $eq: 'a' } })).toEqual(['a']);
    expect(boundingIds({ _id: { $in: ['a', 'b'] } })).toEqual(['a', 'b']);
    expect(boundingIds({ _id: { $in: [] } })).toEqual([]);
    // ObjectFinder narrowed through correlation keys: the whole filter, on those ids only
    expect(boundingIds({ email: 'x@y', $or: [{ a: 1 }], _id: { $in: ['o1'] } })).toEqual(['o1']);
    expect(boundingIds({ _id: '' })).toEqual(['']);
  });

  it('gives up on anything that could match an id outside a list of strings', () => {
    const unbounded: unknown[] = [
      undefined,
      null,
      {},
      [],
      'a',
      { type: 'employee' },
      { _id: { $regex: '^a' } },
      { _id: /^a/ },
      { _id: { $in: ['a', /^b/] } },
      { _id: { $in: ['a', { $gt: '' }] } },
      { _id: { $in: ['a', 5] } },
      { _id: { $in: 'a' } },
      { _id: { $nin: ['a'] } },
      { _id: { $ne: 'a' } },
      { _id: { $gt: 'a' } },
      { _id: { $in: ['a'], $nin: ['b'] } },
      { _id: { $eq: { $gt: '' } } },
      { _id: 5 },
      { _id: null },
      { $or: [{ _id: 'a' }, { _id: 'b' }] },
      { $and: [{ _id: 'a' }] },
      { _id: { $exists: true } },
      { _id: { $elemMatch: { x: 1 } } },
      // an inherited _id is not the filter's own
      Object.create({ _id: 'a' }),
      // not a plain object: a driver or class instance is not analysed
      new (class Filter {
        _id = 'a';
      })(),
    ];
    for (const f of unbounded) expect([f, boundingIds(f)]).toEqual([f, null]);
  });

  it('takes a filter without a prototype and an _id named "__proto__"-safe way', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { _id: 'a' });
    expect(boundingIds(bare)).toEqual(['a']);
    expect(boundingIds(JSON.parse('{"__proto__": {"_id": "a"}}'))).toBeNull();
  });
});

describe('overlap: where what was read meets what is written', () => {
  const reads: ReadSet = new Map<string, Set<string> | typeof WHOLE_COLLECTION>([
    ['shadows', new Set(['s1', 's2'])],
    ['idmObjects', WHOLE_COLLECTION],
    ['correlationKeys', new Set(['k1'])],
  ]);

  it('is empty when no document read is written, nor any document of a collection read whole', () => {
    const writes: WriteSet = new Map([
      ['shadows', new Set(['s3'])],
      ['idmObjects', new Set<string>()],
      ['seenMarks_abc', new Set(['s1'])],
    ]);
    expect(overlap(reads, writes)).toEqual([]);
    expect(overlap(new Map(), writes)).toEqual([]);
    expect(overlap(reads, new Map())).toEqual([]);
  });

  it('names every document read and written, and a collection read whole that is written at all', () => {
    const writes: WriteSet = new Map([
      ['shadows', new Set(['s2', 's1', 's9'])],
      ['idmObjects', new Set(['o7'])],
      ['correlationKeys', new Set(['k2'])],
    ]);
    expect(overlap(reads, writes)).toEqual([
      { collection: 'shadows', id: 's1' },
      { collection: 'shadows', id: 's2' },
      { collection: 'idmObjects', id: WHOLE_COLLECTION },
    ]);
  });

  it('compares ids exactly: no case folding, no trimming, no prefix match', () => {
    const r: ReadSet = new Map([['shadows', new Set(['Ab', 'a '])]]);
    const w: WriteSet = new Map([['shadows', new Set(['ab', 'a', 'Abc'])]]);
    expect(overlap(r, w)).toEqual([]);
  });
});
