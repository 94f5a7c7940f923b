import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { IDS_PER_QUERY } from '../../../src/store/by-ids';
import { SeenMarks, seenMarksCollection } from '../../../src/store/seen-marks';

async function* idsOf(ids: string[]): AsyncGenerator<{ _id: string }> {
  for (const _id of ids) yield { _id };
}

describe('seen marks of a run (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  afterAll(async () => client.close());

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
    const finds: string[] = [];
    const onCommand = (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push(e.command.find as string);
    };
    client.on('commandStarted', onCommand);
    const unseen: string[] = [];
    for await (const s of run.unseen(idsOf(all))) unseen.push(s._id);
    client.off('commandStarted', onCommand);
    expect(unseen).toEqual(all.filter((_, i) => i % 3 === 0));
    expect(finds).toEqual(Array.from({ length: 3 }, () => seenMarksCollection('run-a')));
    const none: string[] = [];
    for await (const s of other.unseen(idsOf(all))) none.push(s._id);
    expect(none).toEqual([]);
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
