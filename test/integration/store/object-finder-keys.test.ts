import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { IdmObjectStore } from '../../../src/store/idm-objects';
import { COLLECTIONS } from '../../../src/store/collections';
import type { SearchExpression } from '../../../src/store/search-expression';
import { testEnv, uniqueTenant } from '../../harness/env';

const LONG = 'l'.repeat(300);

/** ObjectFinder's equality searches answered through correlation keys: the same answers as a scan (real FerretDB). */
describe('IdmObjectStore.find through correlation keys', () => {
  const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
  const idm = new IdmObjectStore(client.db(`idmsync_${uniqueTenant('finder')}`));
  let tracked: string[];

  beforeAll(async () => {
    // Values chosen to trip a key look-up: case, number against string, lists, long (hashed) values, empty, absent.
    const values: Array<Record<string, unknown>> = [
      { email: 'a@x', badge: 5 },
      { email: 'A@X', badge: '5' },
      { email: 'a@x', badge: ['7', '8'], lastName: 'Twin' },
      { email: `${LONG}1`, badge: true },
      { email: `${LONG}2`, badge: 'true' },
      { email: '', badge: 0 },
      { badge: null },
      { email: 'é@x', badge: '$where' },
      { email: "o'hara\"@x", badge: 1.5 },
    ];
    for (const [i, attributes] of values.entries()) await idm.create({ id: `o${i}`, kind: 'IDENTITY', type: i % 2 ? 'partner' : 'employee', lifecycleState: 'ACTIVE', attributes: attributes as never });
    tracked = await idm.keys.ensureTracked(['email', 'badge']);
  });
  afterAll(async () => client.close());

  const expressions: SearchExpression[] = [
    { email: 'a@x' },
    { email: 'A@X' },
    { email: { $eq: `${LONG}1` } },
    { email: '' },
    { email: 'é@x' },
    { email: "o'hara\"@x" },
    { email: 'nobody@x' },
    { badge: 5 },
    { badge: '5' },
    { badge: '7' },
    { badge: true },
    { badge: 'true' },
    { badge: 0 },
    { badge: 1.5 },
    { badge: '$where' },
    { badge: { $in: ['8', 5, 'none'] } },
    { badge: { $in: [] } },
    { email: 'a@x', type: 'partner' },
    { $and: [{ lastName: 'Twin' }, { email: { $in: ['a@x', 'A@X'] } }] },
    { email: 'a@x', id: 'o2' },
    // not narrowed: answered by a scan on both sides
    { email: null },
    { email: { $ne: 'a@x' } },
    { $or: [{ email: 'a@x' }, { badge: true }] },
  ];

  it.each(expressions.map((e) => [JSON.stringify(e).slice(0, 80), e]))('%s: the same objects as a scan, in the same order', async (_, expr) => {
    const scanned = (await idm.find(expr as SearchExpression, 100)).map((o) => o.id);
    const keyed = (await idm.find(expr as SearchExpression, 100, tracked)).map((o) => o.id);
    expect(keyed).toEqual(scanned);
    expect((await idm.find(expr as SearchExpression, 1, tracked)).map((o) => o.id)).toEqual(scanned.slice(0, 1));
    // The REST API's list (search) narrows the same way, its count included.
    const listed = await idm.search(expr as SearchExpression, 1, 2);
    expect({ ids: listed.items.map((o) => o.id), total: listed.total }).toEqual({ ids: scanned.slice(1, 3), total: scanned.length });
  });

  it('reads the repository by _id only, or not at all when no key holds the value', async () => {
    const finds: Document[] = [];
    const onCommand = (e: CommandStartedEvent) => {
      if (e.commandName === 'find' && e.command.find === COLLECTIONS.idmObjects) finds.push(e.command.filter as Document);
    };
    client.on('commandStarted', onCommand);
    try {
      expect((await idm.find({ email: 'a@x' }, 10, tracked)).map((o) => o.id)).toEqual(['o0', 'o2']);
      expect(await idm.find({ email: 'nobody@x' }, 10, tracked)).toEqual([]);
      await idm.find({ lastName: 'Twin' }, 10, tracked);
    } finally {
      client.off('commandStarted', onCommand);
    }
    expect(finds).toEqual([{ 'attributes.email': 'a@x', _id: { $in: expect.arrayContaining(['o0', 'o2']) } }, { 'attributes.lastName': 'Twin' }]);
    expect((finds[0]!._id as { $in: string[] }).$in).toHaveLength(2);
  });

  it('follows the objects written after tracking began: created, changed and deleted', async () => {
    await idm.create({ id: 'late', kind: 'IDENTITY', type: 'employee', lifecycleState: 'ACTIVE', attributes: { email: 'late@x' } });
    expect((await idm.find({ email: 'late@x' }, 10, tracked)).map((o) => o.id)).toEqual(['late']);
    const before = (await idm.get('late'))!;
    await idm.replace('late', { kind: before.kind, type: before.type, lifecycleState: before.lifecycleState, attributes: { email: 'moved@x' } });
    expect(await idm.find({ email: 'late@x' }, 10, tracked)).toEqual([]);
    expect((await idm.find({ email: 'moved@x' }, 10, tracked)).map((o) => o.id)).toEqual(['late']);
    await idm.delete('late');
    expect(await idm.find({ email: 'moved@x' }, 10, tracked)).toEqual([]);
  });
});
