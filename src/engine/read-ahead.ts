/**
 * Returns `p`, its rejection marked as handled: for a read started early and awaited later, whose caller may fail
 * (and never await it) in between. Awaiting it still throws.
 */
export function startedEarly<T>(p: Promise<T>): Promise<T> {
  void p.catch(() => undefined);
  return p;
}

/**
 * Walks `items` a chunk at a time, reading the next chunk while the caller works on the current one.
 *
 * Why: on one machine the store (FerretDB) and the worker each keep a core busy, but a page that reads everything
 * first and then works leaves one of them idle at any moment. Reading ahead overlaps the two. Every read still sees
 * the state from before the page's writes, which are applied after the page, so the results are those of reading
 * everything first.
 *
 * A read that fails is reported when its chunk is reached. A read-ahead still in flight when the caller stops
 * early is left to finish, and its failure is ignored: nothing will use its result.
 */
export async function* readAhead<I, T>(items: readonly I[], chunkSize: number, read: (chunk: I[]) => Promise<T>): AsyncGenerator<{ chunk: I[]; data: T }> {
  const chunks: I[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) chunks.push(items.slice(i, i + chunkSize));
  const start = (chunk: I[]): Promise<T> => startedEarly(read(chunk));
  let next = chunks.length > 0 ? start(chunks[0]!) : null;
  for (let i = 0; i < chunks.length; i++) {
    const data = await next!;
    next = i + 1 < chunks.length ? start(chunks[i + 1]!) : null;
    yield { chunk: chunks[i]!, data };
  }
}
