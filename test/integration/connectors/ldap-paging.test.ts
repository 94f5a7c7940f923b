import { createLdapConnector } from '../../../src/connectors/ldap';
import type { Account, Connector, Position, ReadItem } from '../../../src/connectors/types';
import { testEnv } from '../../harness/env';
import { createSubtree, deleteSubtree, ldapadd, ldapProps, ldapsearch, personLdif } from './ldap-support';

const TOTAL = 10_000;
const PAGE = 500;

/** Reads pages until the end (or `maxPages`), returning the accounts and the position to continue from. */
async function readPages(connector: Connector, from: Position | null, maxPages = Infinity): Promise<{ accounts: Account[]; next: Position | null; pages: number }> {
  const accounts: Account[] = [];
  let next = from;
  let pages = 0;
  do {
    const page = await connector.readPage('inetOrgPerson', next, PAGE);
    for (const item of page.items) {
      if (!item.ok) throw new Error(`unexpected item error: ${item.message}`);
      accounts.push(item.account);
    }
    next = page.next;
    pages++;
  } while (next !== null && pages < maxPages);
  return { accounts, next, pages };
}

jest.setTimeout(120_000);

describe('LDAP connector: paging through 10,000 entries', () => {
  const ldap = testEnv().ldap;
  let tree: { base: string; people: string; groups: string };
  let expectedUids: string[];

  beforeAll(async () => {
    tree = await createSubtree(ldap, 'ldaptest-paging');
    const ldif = Array.from({ length: TOTAL }, (_, i) => personLdif(`uid=p${i},${tree.people}`, `p${i}`)).join('\n');
    const t0 = Date.now();
    await ldapadd(ldap, ldif);
    console.log(`loaded ${TOTAL} entries with ldapadd in ${Date.now() - t0} ms`);
    // The independent list of what must come back.
    expectedUids = (await ldapsearch(ldap, tree.people, '(objectClass=inetOrgPerson)', ['entryUUID'])).map((e) => e.entryUUID![0]!);
    expect(expectedUids).toHaveLength(TOTAL);
  }, 120_000);

  afterAll(async () => {
    await deleteSubtree(ldap, tree.base);
  }, 120_000);

  it('counts the entries and returns each exactly once, in uid order, with built-ins', async () => {
    const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
    try {
      expect(await connector.count('inetOrgPerson')).toBe(TOTAL);
      const t0 = Date.now();
      const { accounts, next, pages } = await readPages(connector, null);
      console.log(`read ${accounts.length} entries in ${pages} pages of ${PAGE} in ${Date.now() - t0} ms`);
      expect(next).toBeNull();
      expect(pages).toBe(TOTAL / PAGE);
      const uids = accounts.map((a) => a.uid);
      expect(new Set(uids).size).toBe(TOTAL);
      expect([...uids].sort()).toEqual([...expectedUids].sort());
      // The server's sort and the resume filter agree: lower-case UUID strings compare like UUIDOrderingMatch.
      expect(uids).toEqual([...uids].sort());
      const first = accounts[0]!;
      expect(first.attributes).toEqual(
        expect.objectContaining({ __UID__: first.uid, __objectId__: first.uid, __NAME__: first.name, __AUXILIARY_OBJECT_CLASS__: [], objectClass: 'inetOrgPerson' }),
      );
      expect(first.name).toMatch(new RegExp(`^uid=p\\d+,${tree.people}$`));
    } finally {
      await connector.close();
    }
  });

  it('resumes from a saved position on a new connector (new connection) with exactly the rest', async () => {
    const first = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
    const head = await readPages(first, null, 7);
    await first.close();
    expect(head.accounts).toHaveLength(7 * PAGE);
    // The position is plain JSON text: it survives being stored and reloaded by another process.
    const saved = JSON.parse(JSON.stringify(head.next)) as string;

    const second = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
    try {
      const tail = await readPages(second, saved);
      expect(tail.accounts).toHaveLength(TOTAL - 7 * PAGE);
      const headUids = new Set(head.accounts.map((a) => a.uid));
      expect(tail.accounts.filter((a) => headUids.has(a.uid))).toEqual([]);
      expect(new Set([...headUids, ...tail.accounts.map((a) => a.uid)]).size).toBe(TOTAL);
    } finally {
      await second.close();
    }
  });

  it('numbers items across pages and applies searchFilter to count and pages alike', async () => {
    const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base, searchFilter: '(uid=p1*)' }));
    try {
      // p1, p10-p19, p100-p199, p1000-p1999: 1 + 10 + 100 + 1000
      expect(await connector.count('inetOrgPerson')).toBe(1111);
      const page1 = await connector.readPage('inetOrgPerson', null, PAGE);
      const page2 = await connector.readPage('inetOrgPerson', page1.next, PAGE);
      const page3 = await connector.readPage('inetOrgPerson', page2.next, PAGE);
      expect([page1.items.length, page2.items.length, page3.items.length]).toEqual([500, 500, 111]);
      expect(page3.next).toBeNull();
      expect(page2.items[0]!.line).toBe(501);
      expect(page3.items[110]!.line).toBe(1111);
      const names = [...page1.items, ...page2.items, ...page3.items].map((i) => (i.ok ? i.account.attributes.uid : null));
      expect(names.every((n) => typeof n === 'string' && n.startsWith('p1'))).toBe(true);
    } finally {
      await connector.close();
    }
  });

  describe('readAll: one paged search for everything (what a run stages)', () => {
    /** Runs readAll, recording the page numbers in the order onPage saw them and the last items of each number. */
    async function readAll(connector: Connector, pageSize: number, onPage: (pageNo: number) => void = () => undefined) {
      const order: number[] = [];
      const pages = new Map<number, ReadItem[]>();
      const result = await connector.readAll!('inetOrgPerson', pageSize, async (pageNo, items) => {
        order.push(pageNo);
        pages.set(pageNo, items);
        onPage(pageNo);
      });
      return { result, order, items: [...pages.keys()].sort((a, b) => a - b).flatMap((k) => pages.get(k)!) };
    }

    it('hands over every entry exactly once, in full pages numbered from 0, with ordinals 1..N', async () => {
      const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
      try {
        const { result, order, items } = await readAll(connector, 700);
        expect(result).toEqual({ pages: 15, total: TOTAL });
        expect(order).toEqual(Array.from({ length: 15 }, (_, i) => i));
        expect(items.map((i) => i.line)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
        const uids = items.map((i) => (i.ok ? i.account.uid : null));
        expect([...uids].sort()).toEqual([...expectedUids].sort());
        const first = items[0]!;
        expect(first.ok && first.account.attributes).toEqual(expect.objectContaining({ __UID__: expect.any(String), __NAME__: expect.stringMatching(/^uid=p\d+,/), objectClass: 'inetOrgPerson' }));
      } finally {
        await connector.close();
      }
    });

    it('applies searchFilter, and ends with a short last page (or none for an empty result)', async () => {
      const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base, searchFilter: '(uid=p1*)' }));
      const none = createLdapConnector(ldapProps(ldap, { baseDn: tree.base, searchFilter: '(uid=nobody)' }));
      try {
        const { result, items } = await readAll(connector, PAGE);
        expect(result).toEqual({ pages: 3, total: 1111 });
        expect(items.every((i) => i.ok && String(i.account.attributes.uid).startsWith('p1'))).toBe(true);
        expect(await readAll(none, PAGE)).toEqual({ result: { pages: 0, total: 0 }, order: [], items: [] });
      } finally {
        await connector.close();
        await none.close();
      }
    });

    it('starts over from page 0 when its connection is lost in the middle, and still hands over everything', async () => {
      const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
      let cut = false;
      try {
        const { result, order, items } = await readAll(connector, PAGE, (pageNo) => {
          if (pageNo !== 3 || cut) return;
          cut = true;
          // The socket dies under the paged search: its cookie is lost with the connection.
          (connector as unknown as { session: { client: { socket: { destroy(): void } } } }).session.client.socket.destroy();
        });
        expect(result).toEqual({ pages: TOTAL / PAGE, total: TOTAL });
        expect(order.slice(0, 5)).toEqual([0, 1, 2, 3, 0]);
        expect(order.slice(4)).toEqual(Array.from({ length: TOTAL / PAGE }, (_, i) => i));
        expect(new Set(items.map((i) => (i.ok ? i.account.uid : null))).size).toBe(TOTAL);
      } finally {
        await connector.close();
      }
    });

    it('refuses a page size that is not a positive integer', async () => {
      const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
      try {
        for (const bad of [0, -1, 1.5, Number.NaN])
          await expect(connector.readAll!('inetOrgPerson', bad, async () => undefined)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/page size must be a positive integer/) });
      } finally {
        await connector.close();
      }
    });
  });

  it('rejects a position that is not one of its own', async () => {
    const connector = createLdapConnector(ldapProps(ldap, { baseDn: tree.base }));
    try {
      await expect(connector.readPage('inetOrgPerson', 'cookie-from-elsewhere', PAGE)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringMatching(/invalid LDAP read position/) });
    } finally {
      await connector.close();
    }
  });
});
