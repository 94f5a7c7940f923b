import type { Collection, Db } from 'mongodb';

/** Every id, or documents beyond any list (a scan, a count): the read depends on the whole collection. */
export const WHOLE_COLLECTION = 'whole collection' as const;

/** What a piece of code read, per collection: the `_id`s its queries were bounded to, or the whole collection. */
export type ReadSet = Map<string, Set<string> | typeof WHOLE_COLLECTION>;

/** What a plan writes, per collection: the `_id`s of the documents it inserts, replaces, updates or deletes. */
export type WriteSet = Map<string, Set<string>>;

/** Raised inside the recorded code when it tries anything but a read: the recording is then void. */
export class ReadOnlyViolation extends Error {
  constructor(what: string) {
    super(`${what} is not allowed on a read-only view of the store`);
    this.name = 'ReadOnlyViolation';
  }
}

/** The collection methods that only read. `find` and `findOne` are bounded by their filter's `_id`; the others read the collection whole. */
const BOUNDED_READS = new Set(['find', 'findOne']);
const UNBOUNDED_READS = new Set(['countDocuments', 'estimatedDocumentCount', 'distinct']);

/**
 * A view of a database that records what is read through it and refuses anything else.
 *
 * Why: a page decided ahead of its turn (activities/decide-ahead.ts) read the store before the previous page's writes
 * were applied. Its decisions are still right if nothing it read is among those writes, and this is how we know what
 * it read: every query, whatever code sends it, goes through this view. A query bounded by `_id` (an equality, `$eq`
 * or `$in` of strings at the top level of its filter, whatever else the filter says) depends only on the documents
 * of those ids, even those it did not find; any other read depends on the whole collection. Writes, aggregations
 * (which can write with `$out`), commands and anything not known to be a read throw {@link ReadOnlyViolation} and
 * void the recording, so a decision made ahead can never change anything.
 */
export class ReadRecorder {
  readonly reads: ReadSet = new Map();
  /** the first thing refused, if any: the recording no longer tells what the code would have done */
  violation: string | null = null;
  readonly db: Db;

  constructor(db: Db) {
    this.db = new Proxy(db, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        if (prop === 'collection') return (name: string, options?: object) => this.collection(target.collection(name, options));
        return this.refused(`Db.${String(prop)}`);
      },
    });
  }

  private collection<T extends object>(col: Collection<T>): Collection<T> {
    return new Proxy(col, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (BOUNDED_READS.has(prop))
          return (filter?: unknown, ...rest: unknown[]) => {
            this.record(target.collectionName, boundingIds(filter));
            return method.call(target, filter, ...rest);
          };
        if (UNBOUNDED_READS.has(prop))
          return (...args: unknown[]) => {
            this.record(target.collectionName, null);
            return method.apply(target, args);
          };
        return this.refused(`${target.collectionName}.${prop}`);
      },
    });
  }

  private record(collection: string, ids: readonly string[] | null): void {
    const known = this.reads.get(collection);
    if (known === WHOLE_COLLECTION) return;
    if (ids === null) {
      this.reads.set(collection, WHOLE_COLLECTION);
      return;
    }
    const set = known ?? new Set<string>();
    for (const id of ids) set.add(id);
    this.reads.set(collection, set);
  }

  /** Voids the recording: the code tried `what`, which the view does not allow (also for views of other things, like the connector). */
  refuse(what: string): void {
    this.violation ??= what;
  }

  private refused(what: string): () => never {
    return () => {
      this.refuse(what);
      throw new ReadOnlyViolation(what);
    };
  }
}

/**
 * The `_id`s a filter restricts its documents to, or null when it does not (then every document may match). Only
 * string ids are taken: the service's own ids are strings, and a list holding anything else (a regex, an operator
 * document) could match ids that are not in it.
 */
export function boundingIds(filter: unknown): readonly string[] | null {
  if (!isPlainObject(filter) || !Object.prototype.hasOwnProperty.call(filter, '_id')) return null;
  const id = filter._id;
  if (typeof id === 'string') return [id];
  if (!isPlainObject(id)) return null;
  const ops = Object.keys(id);
  if (ops.length !== 1) return null;
  if (ops[0] === '$eq' && typeof id.$eq === 'string') return [id.$eq];
  if (ops[0] === '$in' && Array.isArray(id.$in) && id.$in.every((v) => typeof v === 'string')) return id.$in as string[];
  return null;
}

/** The collections and ids where `reads` and `writes` meet (empty: the reads cannot have seen any of the writes). */
export function overlap(reads: ReadSet, writes: WriteSet): Array<{ collection: string; id: string | typeof WHOLE_COLLECTION }> {
  const out: Array<{ collection: string; id: string | typeof WHOLE_COLLECTION }> = [];
  for (const [collection, read] of reads) {
    const written = writes.get(collection);
    if (!written || written.size === 0) continue;
    if (read === WHOLE_COLLECTION) out.push({ collection, id: WHOLE_COLLECTION });
    else for (const id of read) if (written.has(id)) out.push({ collection, id });
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
