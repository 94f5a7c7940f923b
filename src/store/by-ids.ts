import type { Collection, Filter } from 'mongodb';

/**
 * Ids per `$in` query. The local FerretDB patch pushes `{_id: {$in: [strings]}}` down to SQLite (an index search
 * per value) up to 10,000 values; MongoDB answers it from the `_id` index.
 */
export const IDS_PER_QUERY = 1000;

/**
 * Documents by `_id`, one `$in` query per {@link IDS_PER_QUERY} ids: one command per page and collection instead
 * of one per document (measured 5x faster on FerretDB for 500 ids). Missing ids are absent from the map.
 */
export async function findByIds<D extends { _id: string }>(col: Collection<D>, ids: Iterable<string>): Promise<Map<string, D>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, D>();
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) chunks.push(unique.slice(i, i + IDS_PER_QUERY));
  const found = await Promise.all(chunks.map((chunk) => col.find({ _id: { $in: chunk } } as Filter<D>).toArray()));
  for (const docs of found) for (const d of docs) out.set(d._id, d as D);
  return out;
}

/**
 * Coalesces the single-`_id` look-ups requested during one turn of the event loop into {@link findByIds} calls:
 * the per-account correlation of a page asks for its keys one account at a time, concurrently, and this turns
 * those hundreds of look-ups into one query.
 */
export class IdBatcher<D extends { _id: string }> {
  private pending = new Map<string, Array<{ resolve: (d: D | null) => void; reject: (e: unknown) => void }>>();
  private scheduled = false;

  constructor(private readonly col: () => Collection<D>) {}

  get(id: string): Promise<D | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    try {
      const docs = await findByIds(this.col(), batch.keys());
      for (const [id, waiters] of batch) for (const w of waiters) w.resolve(docs.get(id) ?? null);
    } catch (e) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
    }
  }
}
