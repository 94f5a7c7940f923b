import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { COLLECTIONS } from '../../../src/store/collections';
import type { IdmObjectDoc } from '../../../src/store/idm-model';
import { PageJournal, writesOf, type PagePlan } from '../../../src/store/page-journal';
import { SeenMarks, seenMarksCollection } from '../../../src/store/seen-marks';
import type { ShadowDoc } from '../../../src/store/shadows';

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
const READ_COMMANDS = new Set(['find', 'getMore', 'hello', 'isMaster', 'ismaster', 'endSessions', 'ping', 'buildInfo']);

/** The `_id` a write statement targets: a document's own, or the one its filter names (every write of a plan is by `_id`). */
function targetId(statementOrDoc: Document, command: string): string {
  const id: unknown = command === 'insert' ? statementOrDoc._id : (statementOrDoc.q as Document | undefined)?._id;
  if (typeof id !== 'string') throw new Error(`a ${command} not by string _id: ${JSON.stringify(statementOrDoc)}`);
  return id;
}

const object = (id: string, version: number, email: string): IdmObjectDoc => ({
  _id: id,
  kind: 'IDENTITY',
  type: 'employee',
  lifecycleState: 'ACTIVE',
  attributes: { email },
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  version,
});

const shadow = (id: string, owners: string[]): ShadowDoc => ({
  _id: id,
  applicationId: 'hr',
  objectClassId: '__ACCOUNT__',
  shadowKind: 'ACCOUNT',
  uid: id,
  name: id,
  objectType: 'employee',
  owners,
  dead: false,
  generation: 0,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
});

/**
 * `writesOf` is what a page decided ahead is checked against (activities/decide-ahead.ts): a document `apply` writes
 * and `writesOf` leaves out would let a decision made on a stale read through. Every write command `apply` sends to
 * the real FerretDB is recorded and compared with it.
 */
describe('the writes of a page plan (real FerretDB)', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  afterAll(async () => client.close());

  /** The ids each write command of `work` targets, per collection; any other command that is not a read fails. */
  async function writtenBy(work: () => Promise<void>): Promise<Map<string, Set<string>>> {
    const written = new Map<string, Set<string>>();
    const others: string[] = [];
    const onCommand = (e: CommandStartedEvent) => {
      if (READ_COMMANDS.has(e.commandName)) return;
      if (!WRITE_COMMANDS.has(e.commandName)) return void others.push(e.commandName);
      const collection = e.command[e.commandName] as string;
      const statements = (e.command.documents ?? e.command.updates ?? e.command.deletes ?? [e.command]) as Document[];
      const ids = written.get(collection) ?? new Set<string>();
      for (const s of statements) ids.add(e.commandName === 'findAndModify' ? targetId({ q: s.query as Document }, 'update') : targetId(s, e.commandName));
      written.set(collection, ids);
    };
    client.on('commandStarted', onCommand);
    try {
      await work();
    } finally {
      client.off('commandStarted', onCommand);
    }
    expect(others).toEqual([]);
    return written;
  }

  const nonEmpty = (m: Map<string, Set<string>>) => new Map([...m].filter(([, ids]) => ids.size > 0).map(([c, ids]) => [c, [...ids].sort()]));

  it('names every document apply writes, and nothing else, first time and replayed', async () => {
    const db = client.db(uniqueTenant('writes'));
    const runId = 'run-writes';
    // what the repository holds before the page: an object to replace, one to delete, keys to pull and extend, a shadow
    await db.collection<IdmObjectDoc>(COLLECTIONS.idmObjects).insertMany([object('o-old', 1, 'a@x'), object('o-gone', 1, 'g@x')]);
    await db.collection(COLLECTIONS.correlationKeys).insertMany([{ _id: 'email\u0000a@x', ids: ['o-old'] }, { _id: 'email\u0000g@x', ids: ['o-gone'] }] as never[]);
    await db.collection<ShadowDoc>(COLLECTIONS.shadows).insertOne(shadow('s-old', ['o-gone']));

    const plan: PagePlan = {
      objectUpserts: [object('o-new', 1, 'n@x'), object('o-old', 2, 'a2@x')],
      newObjectIds: ['o-new'],
      objectDeletes: ['o-gone'],
      keyAdds: [{ key: 'email\u0000n@x', id: 'o-new' }, { key: 'email\u0000a2@x', id: 'o-old' }, { key: 'email\u0000a@x', id: 'o-new' }],
      keyPulls: [{ key: 'email\u0000a@x', id: 'o-old' }, { key: 'email\u0000g@x', id: 'o-gone' }],
      shadowUpserts: [shadow('s-new', ['o-new']), shadow('s-old', ['o-old'])],
      newShadowIds: ['s-new'],
      seenMarks: [{ _id: 's-seen', line: 4 }, { _id: 's-other', line: 5 }],
      outcomes: [],
    };
    const expected = nonEmpty(writesOf(plan, runId));
    expect(expected).toEqual(
      new Map([
        [COLLECTIONS.idmObjects, ['o-gone', 'o-new', 'o-old']],
        [COLLECTIONS.correlationKeys, ['email\u0000a2@x', 'email\u0000a@x', 'email\u0000g@x', 'email\u0000n@x']],
        [COLLECTIONS.shadows, ['s-new', 's-old']],
        [seenMarksCollection(runId), ['s-other', 's-seen']],
      ]),
    );
    const journal = new PageJournal(db, runId);
    const seen = new SeenMarks(db, runId);
    expect(nonEmpty(await writtenBy(() => journal.apply(plan, seen)))).toEqual(expected);
    // a replayed plan (a retried page) takes the fall-back writes (replace, $addToSet): the same documents
    expect(nonEmpty(await writtenBy(() => journal.apply(plan, seen)))).toEqual(expected);
    expect(await db.collection(COLLECTIONS.idmObjects).countDocuments({ _id: 'o-gone' } as never)).toBe(0);
  });

  it('is empty for a plan that writes nothing, and holds only the marks for a page of unchanged accounts', async () => {
    const empty: PagePlan = { objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], shadowUpserts: [], outcomes: [] };
    expect(nonEmpty(writesOf(empty, 'r'))).toEqual(new Map());
    const db = client.db(uniqueTenant('writes'));
    const marksOnly: PagePlan = { ...empty, seenMarks: [{ _id: 's1', line: 2 }] };
    const expected = nonEmpty(writesOf(marksOnly, 'r'));
    expect([...expected.values()]).toEqual([['s1']]);
    expect(nonEmpty(await writtenBy(() => new PageJournal(db, 'r').apply(marksOnly, new SeenMarks(db, 'r'))))).toEqual(expected);
  });
});
