import { batchesOf, oneAhead } from '../../../src/store/batches';

async function* stream<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('batchesOf', () => {
  it('cuts a stream into arrays of the size, the last one shorter and none empty', async () => {
    expect(await collect(batchesOf(stream([1, 2, 3, 4, 5]), 2))).toEqual([[1, 2], [3, 4], [5]]);
    expect(await collect(batchesOf(stream([1, 2, 3, 4]), 2))).toEqual([[1, 2], [3, 4]]);
    expect(await collect(batchesOf(stream([]), 2))).toEqual([]);
  });
});

describe('oneAhead', () => {
  /** A source that logs when each item is fetched and whether it was closed. */
  function logged(n: number, log: string[], failAt?: number) {
    return (async function* () {
      try {
        for (let i = 0; i < n; i++) {
          await new Promise((r) => setImmediate(r));
          if (i === failAt) throw new Error(`fetch ${i} failed`);
          log.push(`fetched ${i}`);
          yield i;
        }
      } finally {
        log.push('closed');
      }
    })();
  }

  it('hands out every item in order, and fetches the next one while the consumer works on the current one', async () => {
    const log: string[] = [];
    for await (const i of oneAhead(logged(3, log))) {
      await new Promise((r) => setTimeout(r, 5)); // the consumer's work: the next fetch completes meanwhile
      log.push(`used ${i}`);
    }
    // the source is done (closed) while the consumer still works on the last item
    expect(log).toEqual(['fetched 0', 'fetched 1', 'used 0', 'fetched 2', 'used 1', 'closed', 'used 2']);
  });

  it('closes the source when the consumer stops early', async () => {
    const log: string[] = [];
    for await (const i of oneAhead(logged(10, log))) if (i === 1) break;
    expect(log).toContain('closed');
    expect(log.filter((l) => l.startsWith('fetched'))).toEqual(['fetched 0', 'fetched 1', 'fetched 2']);
  });

  it("passes on the source's failure when its item is reached, after the items before it", async () => {
    const log: string[] = [];
    const used: number[] = [];
    await expect(
      (async () => {
        for await (const i of oneAhead(logged(5, log, 2))) used.push(i);
      })(),
    ).rejects.toThrow('fetch 2 failed');
    expect(used).toEqual([0, 1]);
    expect(log).toContain('closed');
  });

  it('gives nothing for an empty source', async () => {
    const out: number[] = [];
    for await (const i of oneAhead(logged(0, []))) out.push(i);
    expect(out).toEqual([]);
  });
});
