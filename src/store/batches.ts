/** The items of a stream in arrays of `size` (the last one shorter, none empty): for one query per batch. */
export async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The items of `source`, each next one requested before the current one is handed out: the consumer's work on an
 * item overlaps the source's fetch of the following one (on one machine, FerretDB serves both on separate cores).
 * Stopping early closes the source.
 */
export async function* oneAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const request = () => {
    const p = it.next();
    void p.catch(() => undefined); // awaited below; a consumer that stopped early no longer cares
    return p;
  };
  let next = request();
  let done = false;
  try {
    for (;;) {
      const r = await next;
      if (r.done) {
        done = true;
        return;
      }
      next = request();
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}
