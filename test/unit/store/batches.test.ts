import { batchesOf } from '../../../src/store/batches';

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
