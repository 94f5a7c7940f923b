/**
 * MongoDB's sort order, in the worker: the order FerretDB and MongoDB give `find().sort({ <path>: ±1, _id: 1 })`, so
 * a scope sorted here is the scope the database would have sorted (checked against FerretDB in
 * test/integration/store/sorted-snapshot.test.ts).
 * - Values of different types are ordered by type: null (and a missing field) < numbers < strings < objects < arrays
 *   < booleans. An empty array is below everything.
 * - An array sorts by its smallest element ascending, by its largest descending (the "sort key" of the value).
 * - Strings compare as UTF-8 bytes, as the servers do (JavaScript's `<` compares UTF-16 code units).
 */
export type SortDirection = 1 | -1;

/** A value reduced for one direction: an array replaced by its min/max element, except the empty array. */
export type SortKey = unknown;

const EMPTY_ARRAY_RANK = 0;

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return v.length === 0 ? EMPTY_ARRAY_RANK : 5;
  if (typeof v === 'object') return 4;
  if (typeof v === 'boolean') return 6;
  return 7;
}

// Only a code unit from the surrogate range (U+D800–DFFF) compares differently in UTF-16 and UTF-8.
const SURROGATE = /[\uD800-\uDFFF]/;

/** Byte-wise UTF-8 order of two strings. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : 1;
}

/** The order of two sort keys (ascending). Objects compare field by field, arrays element by element. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) return compareSequences(a, b, compareValues);
  if (ra === 4) return compareSequences(Object.entries(a as object), Object.entries(b as object), compareFields);
  return 0;
}

function compareFields([ka, va]: [string, unknown], [kb, vb]: [string, unknown]): number {
  return typeRank(va) - typeRank(vb) || compareStrings(ka, kb) || compareValues(va, vb);
}

function compareSequences<T>(a: T[], b: T[], compare: (x: T, y: T) => number): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** The key a value sorts by in one direction (computed once per document, before any comparison). */
export function sortKey(value: unknown, direction: SortDirection): SortKey {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length === 0) return value;
  let best: unknown = value[0] ?? null;
  for (const v of value.slice(1)) {
    const c = compareValues(v ?? null, best);
    if (direction === 1 ? c < 0 : c > 0) best = v ?? null;
  }
  return best;
}

/** The value at a dotted path of a document: own fields only (`__proto__` is a missing field); an array step takes an index. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const step of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, step)) return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

export interface Keyed {
  id: string;
  key: SortKey;
}

/** The scope's total order: the key in the direction asked, then `_id` ascending. */
export function keyedComparator(direction: SortDirection): (a: Keyed, b: Keyed) => number {
  return (a, b) => direction * compareValues(a.key, b.key) || compareStrings(a.id, b.id);
}
