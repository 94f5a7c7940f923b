import type { Collection, Db, Filter } from 'mongodb';
import { keyedComparator, sortKey, valueAtPath, type Keyed, type SortDirection } from './sort-order';
import { decodeVersion, deleteSnapshot, encodeVersions, SNAPSHOT_COLLECTION, writeSnapshot, type SnapshotEntry } from './snapshots';

/**
 * Documents sorted in the worker's memory at a time; the runs of a larger scope are merged from the database.
 * Freezing 1,000,000 objects raised a process's peak RSS by 88 MiB with 50,000 (and RUN_PAGE_SIZE 1,000), by
 * 184 MiB with 100,000 (and 5,000), in the same time (docs/decisions.md).
 */
export const SORT_CHUNK = 50_000;

/** Ids per page of a sorted run: the merge holds one page of every run at a time. */
const RUN_PAGE_SIZE = 1_000;

export interface SnapshotSort {
  /** a document path; `_id` sorts by id alone */
  path: string;
  direction: SortDirection;
}

/** A version string recorded for each document beside its id (SnapshotEntry), read from these fields. */
export interface DocVersion {
  fields: string[];
  of(doc: Record<string, unknown>): string | undefined;
}

type Item = Keyed & { version?: string };

interface RunPageDoc {
  _id: string;
  ids: string[];
  versions?: string[];
  /** wrapped: a key may be an empty array, and FerretDB refuses arrays directly inside arrays */
  keys: Array<{ v?: unknown }>;
}

/** Sorted runs are snapshots of their own, beside the one being written. */
const runSnapshot = (snapshot: string, run: number) => `${snapshot}~sort${run}`;
const runPageId = (snapshot: string, run: number, page: number) => `${runSnapshot(snapshot, run)}:${page}`;

/**
 * Freezes the ids of the documents a filter selects, in a sort order, as a snapshot (see writeSnapshot): an external
 * merge sort, so neither the worker nor the database holds more than SORT_CHUNK documents' keys. FerretDB cannot
 * push a sort down to SQLite: asked to sort, it would load every matching document whole into its memory (976 MiB
 * for 100,000 objects). Here it only streams the `_id` and the sort field of each.
 * Chunks are sorted in memory; a scope of more than one chunk writes them as sorted runs, merged page by page.
 * Deterministic (the order is total: `_id` breaks ties), so a retried prepare writes the same snapshot.
 */
export async function writeSortedSnapshot<T extends { _id: string }>(
  db: Db,
  snapshot: string,
  source: Collection<T>,
  filter: Filter<T>,
  sort: SnapshotSort,
  pageSize: number,
  onPage: () => void = () => undefined,
  opts: { chunkSize?: number; version?: DocVersion } = {},
): Promise<{ pages: number; total: number }> {
  const { chunkSize = SORT_CHUNK, version } = opts;
  const compare = keyedComparator(sort.direction);
  const byId = sort.path === '_id';
  const fields = [...(byId ? [] : [sort.path]), ...(version?.fields ?? [])];
  const cursor = source.find(filter, { projection: { _id: 1, ...Object.fromEntries(fields.map((f) => [f, 1])) } });
  const runs: number[] = []; // pages per written run
  let chunk: Item[] = [];
  const spill = async () => {
    chunk.sort(compare);
    runs.push(await writeRun(db, snapshot, runs.length, chunk, onPage));
    chunk = [];
  };
  for await (const doc of cursor) {
    const item: Item = { id: doc._id as string, key: byId ? doc._id : sortKey(valueAtPath(doc, sort.path), sort.direction) };
    const v = version?.of(doc as Record<string, unknown>);
    if (v !== undefined) item.version = v;
    chunk.push(item);
    if (chunk.length >= chunkSize) await spill();
  }
  if (runs.length === 0) {
    chunk.sort(compare);
    return writeSnapshot(db, snapshot, entriesOf(chunk), pageSize, onPage);
  }
  if (chunk.length) await spill();
  const result = await writeSnapshot(db, snapshot, entriesOf(merged(db, snapshot, runs, compare)), pageSize, onPage);
  await Promise.all(runs.map((pages, r) => deleteSnapshot(db, runSnapshot(snapshot, r), pages)));
  return result;
}

async function* entriesOf(items: AsyncIterable<Item> | Iterable<Item>): AsyncGenerator<SnapshotEntry> {
  for await (const x of items) yield x.version === undefined ? { _id: x.id } : { _id: x.id, version: x.version };
}

async function writeRun(db: Db, snapshot: string, run: number, items: Item[], onPage: () => void): Promise<number> {
  const col = db.collection<RunPageDoc>(SNAPSHOT_COLLECTION);
  let pages = 0;
  for (let at = 0; at < items.length; at += RUN_PAGE_SIZE) {
    const slice = items.slice(at, at + RUN_PAGE_SIZE);
    const doc: Omit<RunPageDoc, '_id'> = { ids: slice.map((x) => x.id), keys: slice.map((x) => ({ v: x.key })) };
    const versions = encodeVersions(slice.map((x) => x.version));
    if (versions) doc.versions = versions;
    await col.replaceOne({ _id: runPageId(snapshot, run, pages) }, doc, { upsert: true });
    pages++;
    onPage();
  }
  return pages;
}

/** One sorted run, read back a page at a time. */
async function* runItems(db: Db, snapshot: string, run: number, pages: number): AsyncGenerator<Item> {
  const col = db.collection<RunPageDoc>(SNAPSHOT_COLLECTION);
  for (let p = 0; p < pages; p++) {
    const doc = await col.findOne({ _id: runPageId(snapshot, run, p) });
    if (!doc) throw new Error(`Sorted run page ${runPageId(snapshot, run, p)} is missing`);
    for (const [i, id] of doc.ids.entries()) {
      const version = decodeVersion(doc.versions?.[i]);
      yield version === undefined ? { id, key: doc.keys[i]?.v ?? null } : { id, key: doc.keys[i]?.v ?? null, version };
    }
  }
}

/** k-way merge of the sorted runs through a binary heap of their heads. */
async function* merged(db: Db, snapshot: string, runs: number[], compare: (a: Keyed, b: Keyed) => number): AsyncGenerator<Item> {
  type Head = { item: Item; source: AsyncGenerator<Item> };
  const heap: Head[] = [];
  const less = (i: number, j: number) => compare(heap[i]!.item, heap[j]!.item) < 0;
  const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
  const up = (i: number) => {
    for (let p = (i - 1) >> 1; i > 0 && less(i, p); i = p, p = (i - 1) >> 1) swap(i, p);
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const m = l + 1 < heap.length && less(l + 1, l) ? l + 1 : l;
      if (l >= heap.length || !less(m, i)) return;
      swap(i, m);
      i = m;
    }
  };
  for (const [r, pages] of runs.entries()) {
    const source = runItems(db, snapshot, r, pages);
    const first = await source.next();
    if (!first.done) {
      heap.push({ item: first.value, source });
      up(heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.item;
    const next = await top.source.next();
    if (next.done) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    } else top.item = next.value;
    if (heap.length > 0) down(0);
  }
}
