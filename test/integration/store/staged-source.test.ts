import { MongoClient } from 'mongodb';
import { createLdapConnector } from '../../../src/connectors/ldap';
import type { Connector, ReadItem } from '../../../src/connectors/types';
import { isStagedPosition, StagedSource, stagedSourceCollection, stages, type StagingConnector } from '../../../src/store/staged-source';
import { testEnv, uniqueTenant } from '../../harness/env';
import { createSubtree, deleteSubtree, ldapadd, ldapProps, personLdif } from '../connectors/ldap-support';

const TOTAL = 25;
const PAGE = 10;

/** Every page of a staged run, from the first position to the last. */
async function readStaged(staged: StagedSource): Promise<{ items: ReadItem[]; positions: Array<string | null> }> {
  const items: ReadItem[] = [];
  const positions: Array<string | null> = [null];
  let position: string | null = null;
  do {
    const page = await staged.readPage(position);
    items.push(...page.items);
    position = page.next;
    positions.push(position);
  } while (position !== null);
  return { items, positions };
}

/** The LDAP connector stages (it reads everything in one pass). */
function staging(connector: Connector): StagingConnector {
  if (!stages(connector)) throw new Error('the LDAP connector should stage');
  return connector;
}

async function collections(client: MongoClient, tenant: string): Promise<string[]> {
  return (await client.db(tenant).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
}

describe('staged accounts of a run (real FerretDB, real slapd)', () => {
  const { ldap, mongoUri } = testEnv();
  const client = new MongoClient(mongoUri);
  let tree: { base: string; people: string };
  let connector: Connector;

  beforeAll(async () => {
    tree = await createSubtree(ldap, 'staged');
    await ldapadd(ldap, Array.from({ length: TOTAL }, (_, i) => personLdif(`uid=s${i},${tree.people}`, `s${i}`)).join('\n'));
    connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.people }));
  });
  afterAll(async () => {
    await connector.close();
    await deleteSubtree(ldap, tree.base);
    await client.close();
  });

  it('stages every account once, then serves the pages by number with the connector read items unchanged', async () => {
    const staged = new StagedSource(client.db(uniqueTenant('staged')), 'run-1');
    expect(await staged.meta()).toBeNull();
    let onPage = 0;
    expect(await staged.stage(staging(connector), 'inetOrgPerson', PAGE, () => onPage++)).toEqual({ pages: 3, total: TOTAL });
    expect(onPage).toBe(3);
    expect(await staged.meta()).toEqual({ pages: 3, total: TOTAL });
    const { items, positions } = await readStaged(staged);
    expect(positions).toEqual([null, 'staged:1', 'staged:2', null]);
    expect(positions.every((p) => p === null || isStagedPosition(p))).toBe(true);
    // What the pages hold is exactly what the connector read, ordinals included.
    const direct: ReadItem[] = [];
    await connector.readAll!('inetOrgPerson', PAGE, async (_, page) => void direct.push(...page));
    expect(items).toEqual(direct);
    expect(items.map((i) => i.line)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  });

  it('a retried staging starts from an empty copy: no page of an earlier, longer attempt survives', async () => {
    const db = client.db(uniqueTenant('staged'));
    const staged = new StagedSource(db, 'run-2');
    await staged.stage(staging(connector), 'inetOrgPerson', 4);
    expect(await staged.meta()).toEqual({ pages: 7, total: TOTAL });
    expect(await staged.stage(staging(connector), 'inetOrgPerson', PAGE)).toEqual({ pages: 3, total: TOTAL });
    expect(await db.collection(stagedSourceCollection('run-2')).countDocuments()).toBe(3 + 1);
    expect((await readStaged(staged)).items).toHaveLength(TOTAL);
  });

  it('an empty source stages no page and reads as one empty last page', async () => {
    const none = createLdapConnector(ldapProps(ldap, { baseDn: tree.people, searchFilter: '(uid=nobody)' }));
    try {
      const staged = new StagedSource(client.db(uniqueTenant('staged')), 'run-3');
      expect(await staged.stage(staging(none), 'inetOrgPerson', PAGE)).toEqual({ pages: 0, total: 0 });
      expect(await staged.readPage(null)).toEqual({ items: [], next: null });
    } finally {
      await none.close();
    }
  });

  it('splits a page too large for one document into parts and joins them back', async () => {
    // 10 entries with a 450,000-character description: one page of ~4.5 million characters of JSON, above a part.
    const big = await createSubtree(ldap, 'staged-big');
    const description = 'x'.repeat(450_000);
    await ldapadd(ldap, Array.from({ length: 10 }, (_, i) => personLdif(`uid=b${i},${big.people}`, `b${i}`, `description: ${description}\n`)).join('\n'));
    const large = createLdapConnector(ldapProps(ldap, { baseDn: big.people }));
    try {
      const db = client.db(uniqueTenant('staged'));
      const staged = new StagedSource(db, 'run-4');
      expect(await staged.stage(staging(large), 'inetOrgPerson', 10)).toEqual({ pages: 1, total: 10 });
      expect(await db.collection(stagedSourceCollection('run-4')).countDocuments()).toBe(2 + 1);
      const page = await staged.readPage(null);
      expect(page.next).toBeNull();
      expect(page.items).toHaveLength(10);
      expect(page.items.every((i) => i.ok && i.account.attributes.description === description)).toBe(true);
    } finally {
      await large.close();
      await deleteSubtree(ldap, big.base);
    }
  });

  it('refuses positions it did not hand out, and a run that did not stage', async () => {
    const staged = new StagedSource(client.db(uniqueTenant('staged')), 'run-5');
    await expect(staged.readPage(null)).rejects.toMatchObject({ label: 'INTERNAL_ERROR', message: expect.stringMatching(/were not staged/) });
    await staged.stage(staging(connector), 'inetOrgPerson', PAGE);
    for (const bad of ['staged:3', 'staged:99999', 'staged:-1', 'staged:01', 'staged:1e2', 'staged:', 'staged:1 ', `staged:${'9'.repeat(40)}`, 'staged:0x1', '{"after":"x","seen":0}'])
      await expect(staged.readPage(bad)).rejects.toMatchObject({ label: 'INTERNAL_ERROR', message: expect.stringMatching(/Invalid staged read position/) });
  });

  it('is dropped whole, and dropping twice (or a run that never staged) is fine', async () => {
    const tenant = uniqueTenant('staged');
    const staged = new StagedSource(client.db(tenant), 'run-6');
    await staged.stage(staging(connector), 'inetOrgPerson', PAGE);
    expect(await collections(client, tenant)).toContain(stagedSourceCollection('run-6'));
    await staged.drop();
    await staged.drop();
    await new StagedSource(client.db(tenant), 'never-staged').drop();
    expect(await collections(client, tenant)).not.toContain(stagedSourceCollection('run-6'));
    expect(await staged.meta()).toBeNull();
  });
});
