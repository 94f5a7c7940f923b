import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { IDS_PER_QUERY } from '../../../src/store/by-ids';
import { carriedBy, carriedMark, SeenMarks, seenMarksCollection, type MarkCarrier } from '../../../src/store/seen-marks';

async function* idsOf(ids: string[]): AsyncGenerator<{ _id: string }> {
  for (const _id of ids) yield { _id };
}

async function* carriersOf(docs: MarkCarrier[]): AsyncGenerator<MarkCarrier> {
  for (const d of docs) yield d;
}

describe('seen marks of a run (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  afterAll(async () => client.close());

  /** The ids `run.unseen` yields for `shadows`, and the collections of the `find` commands it sent meanwhile. */
  async function unseenWithFinds(run: SeenMarks, shadows: AsyncIterable<MarkCarrier>): Promise<{ unseen: string[]; finds: string[] }> {
    const finds: string[] = [];
    const onCommand = (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push(e.command.find as string);
    };
    client.on('commandStarted', onCommand);
    const unseen: string[] = [];
    try {
      for await (const s of run.unseen(shadows)) unseen.push(s._id);
    } finally {
      client.off('commandStarted', onCommand);
    }
    return { unseen, finds };
  }

  it('keeps the first line of a mark, however often and in whatever batches it is added', async () => {
    const marks = new SeenMarks(client.db(uniqueTenant('seen')), 'run-1');
    await marks.add([{ _id: 's1', line: 2 }, { _id: 's2', line: 3 }]);
    await marks.add([{ _id: 's1', line: 9 }, { _id: 's3', line: 4 }, { _id: 's2', line: 3 }]);
    await marks.add([]);
    const got = await marks.getMany(['s1', 's2', 's3', 's4']);
    expect([...got.values()].sort((a, b) => a.line - b.line)).toEqual([{ _id: 's1', line: 2 }, { _id: 's2', line: 3 }, { _id: 's3', line: 4 }]);
  });

  it('lists the unmarked ids in order, one query per batch, and separates runs', async () => {
    const db = client.db(uniqueTenant('seen'));
    const run = new SeenMarks(db, 'run-a');
    const other = new SeenMarks(db, 'run-b');
    const all = Array.from({ length: IDS_PER_QUERY * 2 + 500 }, (_, i) => `s${i}`);
    await run.add(all.filter((_, i) => i % 3 !== 0).map((_id, i) => ({ _id, line: i + 2 })));
    await other.add(all.map((_id) => ({ _id, line: 1 })));
    const { unseen, finds } = await unseenWithFinds(run, idsOf(all));
    expect(unseen).toEqual(all.filter((_, i) => i % 3 === 0));
    expect(finds).toEqual(Array.from({ length: 3 }, () => seenMarksCollection('run-a')));
    const none: string[] = [];
    for await (const s of other.unseen(idsOf(all))) none.push(s._id);
    expect(none).toEqual([]);
  });

  it('counts the marks shadows carry: unseen skips them without a query, marksOf merges them with marks of their own', async () => {
    const db = client.db(uniqueTenant('seen'));
    const run = new SeenMarks(db, 'run-a');
    // s0..s999 carry run-a's mark, s1000..s1999 carry another run's, s2000..s2999 carry none; own marks on every 4th
    const shadows: MarkCarrier[] = Array.from({ length: IDS_PER_QUERY * 3 }, (_, i) => ({
      _id: `s${i}`,
      ...(i < IDS_PER_QUERY ? { seenBy: carriedMark('run-a', i + 2) } : i < 2 * IDS_PER_QUERY ? { seenBy: carriedMark('run-b', 7) } : {}),
    }));
    await run.add(shadows.filter((_, i) => i % 4 === 0).map((s) => ({ _id: s._id, line: 1 })));
    const { unseen, finds } = await unseenWithFinds(run, carriersOf(shadows));
    expect(unseen).toEqual(shadows.filter((_, i) => i >= IDS_PER_QUERY && i % 4 !== 0).map((s) => s._id));
    // the first batch carries every mark: only the two others are looked up
    expect(finds).toEqual([seenMarksCollection('run-a'), seenMarksCollection('run-a')]);

    const marks = await run.marksOf([shadows[0]!, shadows[1]!, shadows[IDS_PER_QUERY]!, shadows[IDS_PER_QUERY + 1]!, shadows[2 * IDS_PER_QUERY]!, shadows[2 * IDS_PER_QUERY + 1]!]);
    // a carried mark wins over one of its own (s0 has both: the page that wrote it read it on line 2)
    expect([...marks.values()]).toEqual(
      expect.arrayContaining([{ _id: 's0', line: 2 }, { _id: 's1', line: 3 }, { _id: `s${IDS_PER_QUERY}`, line: 1 }, { _id: `s${2 * IDS_PER_QUERY}`, line: 1 }]),
    );
    expect(marks.size).toBe(4);
    expect(run.carried(undefined)).toBeUndefined();
  });

  it('reads a carried mark only when it names exactly this run, with a line', () => {
    expect(carriedMark('run-a', 12)).toBe('12:run-a');
    expect(carriedBy({ _id: 's', seenBy: '12:run-a' }, 'run-a')).toEqual({ _id: 's', line: 12 });
    // a run id holding the separator is read whole, from the end
    expect(carriedBy({ _id: 's', seenBy: carriedMark('a:b', 3) }, 'a:b')).toEqual({ _id: 's', line: 3 });
    expect(carriedBy({ _id: 's', seenBy: carriedMark('a:b', 3) }, 'b')).toBeUndefined();
    for (const hostile of ['12:run-a ', '12:xrun-a', ':run-a', 'x:run-a', '1:2:run-a', '-1:run-a', '1e3:run-a', '12', '', '9999999999999999:run-a'])
      expect({ hostile, mark: carriedBy({ _id: 's', seenBy: hostile }, 'run-a') }).toEqual({ hostile, mark: undefined });
    // a value of another type (a document written by hand, an older format) is no mark
    expect(carriedBy({ _id: 's', seenBy: { runId: 'run-a', line: 3 } } as unknown as MarkCarrier, 'run-a')).toBeUndefined();
  });

  it('drops the marks of one run only; dropping twice, or a run that marked nothing, is fine', async () => {
    const db = client.db(uniqueTenant('seen'));
    const [a, b] = [new SeenMarks(db, 'run-a'), new SeenMarks(db, 'run-b')];
    await a.add([{ _id: 's1', line: 2 }]);
    await b.add([{ _id: 's1', line: 2 }]);
    await a.drop();
    await a.drop();
    await new SeenMarks(db, 'never-marked').drop();
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toEqual([seenMarksCollection('run-b')]);
    expect((await a.getMany(['s1'])).size).toBe(0);
  });

  it('names collections from any run id within FerretDB limits, distinct per run', () => {
    const ids = ['x', 'a/b:c$d', 'é'.repeat(300), '', 'run-1', 'run-1 '];
    const names = ids.map(seenMarksCollection);
    expect(new Set(names).size).toBe(ids.length);
    for (const n of names) expect(n).toMatch(/^seenMarks_[0-9a-f]{32}$/);
  });
});
