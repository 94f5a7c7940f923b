import { Attribute, Change, ServerSideSortingRequestControl, type Client, type Entry, type SearchOptions } from 'ldapts';
import type { LdapProperties } from '../../config/connector-properties';
import {
  ConnectorError,
  type Account,
  type AttributeChange,
  type Attributes,
  type Capabilities,
  type Connector,
  type Page,
  type Position,
  type ReadItem,
} from '../types';
import { accountSearchAttributes, BINARY_ATTRIBUTES, entryValues, toAccount } from './account-mapper';
import { ResultCode } from './errors';
import { splitDn } from './escape';
import { accountByUidFilter, accountsAfterFilter, accountsByUidsFilter, accountsFilter } from './filters';
import { addMember, groupsOf, removeMember, renameMember } from './memberships';
import { buildAddRequest, buildUpdatePlan, enableValue, type CurrentEntry } from './modifications';
import { decodePosition, encodePosition } from './position';
import { LdapSession } from './session';

const READ = { idempotent: true };
const WRITE = { idempotent: false };
/** Uids per search of getMany: at most as many entries as slapd's default size limit (500) answers to any bind. */
const UIDS_PER_SEARCH = 500;

/**
 * The LDAP connector (SPEC.md §3.1, §4): accounts are entries of an object class under baseDn, `__UID__` is the
 * uid attribute (entryUUID by default), `__NAME__` the DN, entitlements are group DNs.
 *
 * Reading everything (readAll, what a synchronization run uses): one paged search (RFC 2696) on one connection, in
 * the server's order. One pass over the directory: 100,000 entries in about 2 s from the embedded slapd.
 *
 * Reading a page from a position (readPage): entries are sorted by the uid attribute with the server-side sort control
 * (RFC 2891) and a page resumes with `(!(<uid><=<last uid>))`. Both use the attribute's ORDERING rule
 * (UUIDOrderingMatch for entryUUID), so they agree, and the position (position.ts) is valid on any connection, after
 * any restart. Cost: the server evaluates the filter on every candidate and sorts the rest for every page, about
 * O(N) per page and O(N²/pageSize) for a full read (OpenLDAP has no ordering index): 57 s for 100,000 entries, which is
 * why runs stage their accounts with readAll instead. The uid attribute must have an ORDERING rule and the server must
 * support sorting (OpenLDAP: sssvlv overlay).
 */
export class LdapConnector implements Connector {
  readonly type = 'LDAP' as const;
  private readonly session: LdapSession;

  constructor(private readonly props: LdapProperties) {
    this.session = new LdapSession(props);
  }

  capabilities(): Capabilities {
    return { read: true, create: true, update: true, delete: true, enable: !!this.props.disableStrategy, entitlements: true, rename: true };
  }

  async test(): Promise<void> {
    const bases = [this.props.baseDn, ...(this.props.groupBaseDn ? [this.props.groupBaseDn] : [])];
    for (const base of bases)
      await this.session.run(`read of base entry "${base}"`, (c) => c.search(base, { scope: 'base', attributes: ['1.1'] }), READ);
  }

  async count(objectClassId: string): Promise<number> {
    return this.session.run(
      `count of ${objectClassId} entries under ${this.props.baseDn}`,
      async (c) => {
        let n = 0;
        const pages = c.searchPaginated(this.props.baseDn, {
          scope: 'sub',
          filter: accountsFilter(this.props, objectClassId),
          attributes: ['1.1'],
          paged: { pageSize: this.props.pageSize },
        });
        for await (const page of pages) n += page.searchEntries.length;
        return n;
      },
      READ,
    );
  }

  async readPage(objectClassId: string, position: Position | null, pageSize: number): Promise<Page> {
    checkPageSize(pageSize);
    const from = decodePosition(position);
    const filter = from ? accountsAfterFilter(this.props, objectClassId, from.after) : accountsFilter(this.props, objectClassId);
    // One entry more than the page tells whether another page follows without an extra request.
    const entries = await this.sortedSearch(filter, pageSize + 1);
    const pageEntries = entries.slice(0, pageSize);
    const seen = from?.seen ?? 0;
    const items = pageEntries.map((entry, i) => this.readItem(entry, objectClassId, seen + i + 1));
    const lastUid = pageEntries.length ? entryValues(pageEntries[pageEntries.length - 1]!, this.props.uidAttribute)[0] : undefined;
    if (lastUid === undefined) return { items, next: null };
    // A server-side size limit below pageSize + 1 also shortens the answer: only an explicit probe tells the end.
    const more = entries.length > pageSize || (await this.existsAfter(objectClassId, lastUid));
    return { items, next: more ? encodePosition({ after: lastUid, seen: seen + pageEntries.length }) : null };
  }

  /**
   * Every account in one paged search, handed over in pages of `pageSize` (see the class comment). The cookie of a
   * paged search is only valid on its connection, so a pass whose connection is lost starts over: onPage then sees
   * page numbers from 0 again, with the same ordinals.
   */
  async readAll(objectClassId: string, pageSize: number, onPage: (pageNo: number, items: ReadItem[]) => Promise<void>): Promise<{ pages: number; total: number }> {
    checkPageSize(pageSize);
    const { baseDn, pageSize: serverPageSize } = this.props;
    return this.session.run(
      `paged read of ${objectClassId} entries under ${baseDn}`,
      async (c) => {
        let pages = 0;
        let total = 0;
        let items: ReadItem[] = [];
        const search = c.searchPaginated(baseDn, { ...this.accountSearch(accountsFilter(this.props, objectClassId)), paged: { pageSize: serverPageSize } });
        for await (const result of search) {
          for (const entry of result.searchEntries) {
            items.push(this.readItem(entry, objectClassId, ++total));
            if (items.length < pageSize) continue;
            await onPage(pages++, items);
            items = [];
          }
        }
        if (items.length) await onPage(pages++, items);
        return { pages, total };
      },
      READ,
    );
  }

  private readItem(entry: Entry, objectClassId: string, line: number): ReadItem {
    const account = toAccount(entry, objectClassId, this.props);
    return account ? { ok: true, account, line } : { ok: false, line, name: entry.dn, message: `entry has no ${this.props.uidAttribute}` };
  }

  private async sortedSearch(filter: string, sizeLimit: number): Promise<Entry[]> {
    const { uidAttribute, baseDn } = this.props;
    const sort = new ServerSideSortingRequestControl({ critical: true, value: { attributeType: uidAttribute } });
    try {
      const result = await this.session.run(
        `sorted search under ${baseDn}`,
        (c) => c.search(baseDn, { ...this.accountSearch(filter), sizeLimit }, sort),
        READ,
      );
      return result.searchEntries;
    } catch (e) {
      const code = e instanceof ConnectorError ? e.details.resultCode : undefined;
      if (code === ResultCode.unavailableCriticalExtension || code === ResultCode.inappropriateMatching)
        throw new ConnectorError(
          'permanent',
          `LDAP paged read needs server-side sorting on ${uidAttribute} (an attribute with an ORDERING rule, and the sort control enabled, e.g. OpenLDAP's sssvlv overlay): ${e instanceof Error ? e.message : String(e)}`,
          { ...(e as ConnectorError).details },
        );
      throw e;
    }
  }

  private async existsAfter(objectClassId: string, lastUid: string): Promise<boolean> {
    const filter = accountsAfterFilter(this.props, objectClassId, lastUid);
    const result = await this.session.run(
      `search under ${this.props.baseDn}`,
      (c) => c.search(this.props.baseDn, { scope: 'sub', filter, attributes: ['1.1'], sizeLimit: 1 }),
      READ,
    );
    return result.searchEntries.length > 0;
  }

  private accountSearch(filter: string): SearchOptions {
    return { scope: 'sub', filter, attributes: accountSearchAttributes(this.props), explicitBufferAttributes: BINARY_ATTRIBUTES };
  }

  async get(objectClassId: string, uid: string): Promise<Account | null> {
    const entry = await this.findEntry(objectClassId, uid);
    return entry ? toAccount(entry, objectClassId, this.props) : null;
  }

  async getMany(objectClassId: string, uids: readonly string[]): Promise<Map<string, Account>> {
    const groups: string[][] = [];
    for (let at = 0; at < uids.length; at += UIDS_PER_SEARCH) groups.push(uids.slice(at, at + UIDS_PER_SEARCH));
    // concurrent searches on the one connection: slapd answers them on several threads
    const results = await Promise.all(
      groups.map((group) => this.session.run(`search of ${group.length} accounts by ${this.props.uidAttribute}`, (c) => c.search(this.props.baseDn, this.accountSearch(accountsByUidsFilter(this.props, objectClassId, group))), READ)),
    );
    const found = new Map<string, Account>();
    for (const entry of results.flatMap((r) => r.searchEntries)) {
      const account = toAccount(entry, objectClassId, this.props);
      if (account) found.set(account.uid, account);
    }
    return found;
  }

  async getByName(objectClassId: string, dn: string): Promise<Account | null> {
    try {
      return await this.readByDn(objectClassId, dn);
    } catch (e) {
      if (e instanceof ConnectorError && e.details.resultCode === ResultCode.noSuchObject) return null;
      throw e;
    }
  }

  private async findEntry(objectClassId: string, uid: string): Promise<Entry | null> {
    const filter = accountByUidFilter(this.props, objectClassId, uid);
    const result = await this.session.run(
      `search of ${this.props.uidAttribute}=${uid}`,
      (c) => c.search(this.props.baseDn, { ...this.accountSearch(filter), sizeLimit: 2 }),
      READ,
    );
    if (result.searchEntries.length > 1)
      throw new ConnectorError('permanent', `${this.props.uidAttribute}=${uid} is not unique under ${this.props.baseDn}`, { code: 'ambiguousUid' });
    return result.searchEntries[0] ?? null;
  }

  /** The entry of an existing account; a missing one is the permanent noSuchObject of the operation asked for. */
  private async requireEntry(objectClassId: string, uid: string, action: string): Promise<Entry> {
    const entry = await this.findEntry(objectClassId, uid);
    if (entry) return entry;
    throw new ConnectorError(
      'permanent',
      `LDAP ${action} failed: noSuchObject (no ${objectClassId} entry with ${this.props.uidAttribute}=${uid} under ${this.props.baseDn})`,
      { resultCode: ResultCode.noSuchObject, code: 'noSuchObject' },
    );
  }

  private async readByDn(objectClassId: string, dn: string): Promise<Account> {
    const result = await this.session.run(`read of ${dn}`, (c) => c.search(dn, { ...this.accountSearch('(objectClass=*)'), scope: 'base' }), READ);
    const entry = result.searchEntries[0];
    const account = entry && toAccount(entry, objectClassId, this.props);
    if (!account) throw new ConnectorError('permanent', `LDAP read of ${dn} returned no entry with ${this.props.uidAttribute}`, { code: 'noUid' });
    return account;
  }

  async create(objectClassId: string, attributes: Attributes): Promise<Account> {
    const request = buildAddRequest(this.props, objectClassId, attributes);
    await this.session.run(`add of ${request.dn}`, (c) => c.add(request.dn, request.attributes), WRITE);
    // Read back: the server generated entryUUID (the account's __UID__) and may have added defaults.
    return this.readByDn(objectClassId, request.dn);
  }

  async update(objectClassId: string, uid: string, changes: AttributeChange[]): Promise<Account> {
    const entry = await this.requireEntry(objectClassId, uid, 'update');
    const current: CurrentEntry = { dn: entry.dn, values: (attribute) => entryValues(entry, attribute) };
    const plan = buildUpdatePlan(this.props, objectClassId, current, changes);
    let dn = entry.dn;
    if (plan.newDn) {
      await this.rename(dn, plan.newDn);
      dn = plan.newDn;
    }
    if (plan.changes.length) await this.session.run(`modify of ${dn}`, (c) => c.modify(dn, plan.changes), WRITE);
    return this.readByDn(objectClassId, dn);
  }

  /**
   * Modify DN (possibly to a new superior), then the groups holding the old DN are pointed at the new one: the
   * directory may have no referential-integrity overlay to do it.
   */
  private async rename(oldDn: string, newDn: string): Promise<void> {
    await this.session.run(
      `rename of ${oldDn} to ${newDn}`,
      async (c) => {
        const { rdn, parent } = splitDn(newDn);
        // ldapts splits the new DN into RDN and new superior itself; the canonical form keeps that split right.
        await c.modifyDN(oldDn, parent ? `${rdn},${parent}` : rdn);
        for (const group of await groupsOf(c, this.props, oldDn)) await renameMember(c, this.props, group, oldDn, newDn);
      },
      WRITE,
    );
  }

  async delete(objectClassId: string, uid: string): Promise<void> {
    const entry = await this.requireEntry(objectClassId, uid, 'delete');
    await this.session.run(
      `delete of ${entry.dn}`,
      async (c) => {
        // Memberships go first: without referential integrity they would point at a deleted entry forever.
        for (const group of await groupsOf(c, this.props, entry.dn)) await removeMember(c, this.props, group, entry.dn);
        await c.del(entry.dn);
      },
      WRITE,
    );
  }

  async setEnabled(objectClassId: string, uid: string, enabled: boolean): Promise<void> {
    const { attribute, value } = enableValue(this.props, enabled);
    const entry = await this.requireEntry(objectClassId, uid, enabled ? 'enable' : 'disable');
    const change = new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values: [value] }) });
    await this.session.run(`${enabled ? 'enable' : 'disable'} of ${entry.dn}`, (c) => c.modify(entry.dn, change), WRITE);
  }

  async addMembership(objectClassId: string, uid: string, entitlementId: string): Promise<void> {
    await this.withMember(objectClassId, uid, `add of membership in ${entitlementId}`, (c, dn) => addMember(c, this.props, entitlementId, dn));
  }

  async removeMembership(objectClassId: string, uid: string, entitlementId: string): Promise<void> {
    await this.withMember(objectClassId, uid, `removal of membership in ${entitlementId}`, (c, dn) => removeMember(c, this.props, entitlementId, dn));
  }

  async listMemberships(objectClassId: string, uid: string): Promise<string[]> {
    const entry = await this.requireEntry(objectClassId, uid, 'list of memberships');
    return this.session.run(`list of memberships of ${entry.dn}`, (c) => groupsOf(c, this.props, entry.dn), READ);
  }

  private async withMember(objectClassId: string, uid: string, action: string, op: (c: Client, memberDn: string) => Promise<void>): Promise<void> {
    const entry = await this.requireEntry(objectClassId, uid, action);
    await this.session.run(action, (c) => op(c, entry.dn), WRITE);
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}

function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new ConnectorError('permanent', `page size must be a positive integer, got ${pageSize}`);
}
