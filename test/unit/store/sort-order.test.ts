import { compareStrings, compareValues, keyedComparator, sortKey, valueAtPath } from '../../../src/store/sort-order';

describe('MongoDB sort order in the worker', () => {
  it('orders types: empty array < null/missing < numbers < strings < objects < arrays < booleans', () => {
    const values = [true, [1, 2], { a: 1 }, 'a', -5, null, []];
    expect([...values].sort(compareValues)).toEqual([[], null, -5, 'a', { a: 1 }, [1, 2], true]);
    expect(compareValues(undefined, null)).toBe(0);
    expect(compareValues(false, true)).toBe(-1);
    expect(compareValues(2.5, 10)).toBe(-1);
  });

  it('compares strings as UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF01 is EF BC 81 in UTF-8, the emoji F0 9F 98 80: the emoji is larger, though its first UTF-16 unit is smaller
    expect('\uFF01' < '😀').toBe(false);
    expect(compareStrings('\uFF01', '😀')).toBe(-1);
    expect(compareStrings('😀', '\uFF01')).toBe(1);
    expect(compareStrings('B', 'a')).toBe(-1);
    expect(compareStrings('', 'a')).toBe(-1);
    expect(compareStrings('é', 'é')).toBe(0);
  });

  it('sorts an array by its smallest element ascending and its largest descending', () => {
    expect(sortKey([3, 'x', 1], 1)).toBe(1);
    expect(sortKey([3, 'x', 1], -1)).toBe('x');
    expect(sortKey([null, 2], 1)).toBeNull();
    expect(sortKey([], 1)).toEqual([]);
    expect(sortKey(undefined, -1)).toBeNull();
    expect(sortKey('s', -1)).toBe('s');
  });

  it('compares objects field by field and arrays element by element', () => {
    expect(compareValues({ a: 1 }, { a: 2 })).toBe(-1);
    expect(compareValues({ a: 1 }, { b: 0 })).toBe(-1);
    expect(compareValues({ a: 1 }, { a: 1, b: 1 })).toBeLessThan(0);
    expect(compareValues({ a: 'x' }, { a: 5 })).toBeGreaterThan(0);
    expect(compareValues([1, 2], [1, 3])).toBe(-1);
  });

  it('reads dotted paths and gives undefined for any missing or non-object step', () => {
    const doc = { _id: 'o1', attributes: { login: 'amartin', tags: ['b', 'a'], n: null } };
    expect(valueAtPath(doc, 'attributes.login')).toBe('amartin');
    expect(valueAtPath(doc, 'attributes.tags.1')).toBe('a');
    expect(valueAtPath(doc, 'attributes.n.deeper')).toBeUndefined();
    expect(valueAtPath(doc, 'attributes.__proto__.x')).toBeUndefined();
    expect(valueAtPath(doc, 'attributes.__proto__')).toBeUndefined();
    expect(valueAtPath(doc, 'attributes.constructor')).toBeUndefined();
    expect(valueAtPath(doc, 'nothing.here')).toBeUndefined();
  });

  it('breaks ties by id ascending whatever the direction', () => {
    const items = [{ id: 'b', key: 1 }, { id: 'a', key: 1 }, { id: 'c', key: 2 }];
    expect([...items].sort(keyedComparator(-1)).map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect([...items].sort(keyedComparator(1)).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});
