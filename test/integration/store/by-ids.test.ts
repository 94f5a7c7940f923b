import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { findByIds, IdBatcher, IDS_PER_QUERY } from '../../../src/store/by-ids';

interface Doc {
  _id: string;
  n: number;
}

/** Reads by `_id` batches against the real FerretDB, counting the commands the driver really sends. */
describe('reads by batches of _id', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  const finds: string[] = [];
  const onCommand = (e: CommandStartedEvent) => {
    if (e.commandName === 'find') finds.push(e.command.find as string);
  };
  const col = client.db(uniqueTenant('byids')).collection<Doc>('docs');
  // ids an account can carry: quotes, backslashes, operators, JSON and SQL look-alikes, non-ASCII
  const hostile = ['a"b', 'c\\d', '$in', "x' OR 1=1 --", '{"$gt":""}', 'é✓', ' ', ''];
  const count = IDS_PER_QUERY * 2 + 100;

  beforeAll(async () => {
    const docs = [...Array.from({ length: count }, (_, i) => ({ _id: `id-${i}`, n: i })), ...hostile.map((h, i) => ({ _id: h, n: -1 - i }))];
    for (let i = 0; i < docs.length; i += 1000) await col.insertMany(docs.slice(i, i + 1000));
    client.on('commandStarted', onCommand);
  });
  beforeEach(() => finds.splice(0));
  afterAll(async () => {
    client.off('commandStarted', onCommand);
    await client.close();
  });

  it('findByIds returns every present document, once, in one query per IDS_PER_QUERY distinct ids', async () => {
    const wanted = [...Array.from({ length: count + 400 }, (_, i) => `id-${i}`), 'id-7', 'id-7', ...hostile];
    const found = await findByIds(col, wanted);
    expect(found.size).toBe(count + hostile.length);
    expect(found.get('id-7')).toEqual({ _id: 'id-7', n: 7 });
    expect(found.has(`id-${count}`)).toBe(false);
    expect(hostile.map((h) => found.get(h)?.n)).toEqual(hostile.map((_, i) => -1 - i));
    expect(finds.length).toBe(Math.ceil((count + 400 + hostile.length) / IDS_PER_QUERY));
    expect((await findByIds(col, [])).size).toBe(0);
    expect(finds.length).toBe(Math.ceil((count + 400 + hostile.length) / IDS_PER_QUERY));
  });

  it('IdBatcher answers concurrent single look-ups from one query, missing ids with null', async () => {
    const batcher = new IdBatcher(() => col);
    const asked = [...Array.from({ length: 300 }, (_, i) => `id-${i * 3}`), 'id-3', 'missing', ...hostile];
    const got = await Promise.all(asked.map((id) => batcher.get(id)));
    expect(got.map((d) => d?.n ?? null)).toEqual([...Array.from({ length: 300 }, (_, i) => i * 3), 3, null, ...hostile.map((_, i) => -1 - i)]);
    expect(finds).toEqual(['docs']);
    // a later turn of the event loop is a new batch
    expect((await batcher.get('id-1'))?.n).toBe(1);
    expect(finds).toEqual(['docs', 'docs']);
  });

  it('IdBatcher rejects every waiter of a batch whose query fails, and recovers for the next batch', async () => {
    let broken = true;
    const failing = client.db(uniqueTenant('byids')).collection<Doc>('docs');
    const batcher = new IdBatcher(() => {
      if (broken) throw new Error('store unavailable');
      return col;
    });
    const results = await Promise.allSettled([batcher.get('id-1'), batcher.get('id-2')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    broken = false;
    expect((await batcher.get('id-2'))?.n).toBe(2);
    expect(await failing.countDocuments()).toBe(0);
  });
});
