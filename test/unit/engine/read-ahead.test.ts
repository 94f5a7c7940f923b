import { readAhead, startedEarly } from '../../../src/engine/read-ahead';

const tick = () => new Promise((r) => setImmediate(r));

describe('readAhead', () => {
  it('yields every chunk in order with its data, and has the next chunk read while the caller works on one', async () => {
    const events: string[] = [];
    const read = async (chunk: number[]) => {
      events.push(`read ${chunk.join(',')}`);
      await tick();
      return chunk.map((x) => x * 10);
    };
    const seen: Array<[number[], number[]]> = [];
    for await (const { chunk, data } of readAhead([1, 2, 3, 4, 5], 2, read)) {
      events.push(`work ${chunk.join(',')}`);
      seen.push([chunk, data]);
      await tick();
    }
    expect(seen).toEqual([[[1, 2], [10, 20]], [[3, 4], [30, 40]], [[5], [50]]]);
    // the read of a chunk starts before the work on the previous one
    expect(events).toEqual(['read 1,2', 'read 3,4', 'work 1,2', 'read 5', 'work 3,4', 'work 5']);
  });

  it('reads nothing for no items', async () => {
    const read = jest.fn(async (c: number[]) => c);
    const out: number[][] = [];
    for await (const { chunk } of readAhead([], 3, read)) out.push(chunk);
    expect(out).toEqual([]);
    expect(read).not.toHaveBeenCalled();
  });

  it('reports a failed read when its chunk is reached, after the chunks before it', async () => {
    const read = async (chunk: string[]) => {
      if (chunk.includes('c')) throw new Error('store down');
      return chunk.length;
    };
    const got: string[][] = [];
    await expect((async () => {
      for await (const { chunk } of readAhead(['a', 'b', 'c', 'd'], 2, read)) got.push(chunk);
    })()).rejects.toThrow('store down');
    expect(got).toEqual([['a', 'b']]);
  });

  it('leaves no unhandled rejection when the caller stops while a read-ahead fails', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const read = async (chunk: number[]) => {
        if (chunk[0] === 3) throw new Error('late failure');
        return chunk;
      };
      await expect((async () => {
        for await (const { chunk } of readAhead([1, 2, 3, 4], 2, read)) {
          if (chunk[0] === 1) throw new Error('caller failed');
        }
      })()).rejects.toThrow('caller failed');
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('startedEarly', () => {
  it('leaves a rejection unreported until awaited, and awaiting it still throws', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const p = startedEarly(Promise.reject(new Error('read failed')));
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
      await expect(p).rejects.toThrow('read failed');
      await expect(startedEarly(Promise.resolve(7))).resolves.toBe(7);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
