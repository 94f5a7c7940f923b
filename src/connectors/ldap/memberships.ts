import { Attribute, Change, type Client } from 'ldapts';
import type { LdapProperties } from '../../config/connector-properties';
import { isResultCode, ResultCode } from './errors';
import { groupsWithMemberFilter } from './filters';

/**
 * Group membership through the group's member attribute (groupOfNames/member by default). Entitlement ids are
 * group DNs. Adds and removes are idempotent: typeOrValueExists on add and noSuchAttribute on remove mean the
 * membership already is as wanted.
 *
 * Last member: groupOfNames requires at least one member, so removing the last one is an objectClassViolation.
 * The strategy is a placeholder member, the empty DN "" (a valid DN naming no entry): the account's DN is swapped
 * for it in one modify, and it is dropped again when a real member is added. The group keeps existing (deleting
 * it would lose its other attributes and whatever points at it) and the placeholder can never match an account.
 */
export const EMPTY_GROUP_PLACEHOLDER = '';

function memberChange(props: LdapProperties, operation: 'add' | 'delete', dn: string): Change {
  return new Change({ operation, modification: new Attribute({ type: props.groupMemberAttribute, values: [dn] }) });
}

/** Runs a modify, treating the listed result codes as "already done". */
async function modifyUnless(client: Client, dn: string, changes: Change[], alreadyDone: number[]): Promise<void> {
  try {
    await client.modify(dn, changes);
  } catch (e) {
    if (!alreadyDone.some((code) => isResultCode(e, code))) throw e;
  }
}

export async function addMember(client: Client, props: LdapProperties, groupDn: string, memberDn: string): Promise<void> {
  await modifyUnless(client, groupDn, [memberChange(props, 'add', memberDn)], [ResultCode.typeOrValueExists]);
  await modifyUnless(client, groupDn, [memberChange(props, 'delete', EMPTY_GROUP_PLACEHOLDER)], [ResultCode.noSuchAttribute]);
}

export async function removeMember(client: Client, props: LdapProperties, groupDn: string, memberDn: string): Promise<void> {
  try {
    await modifyUnless(client, groupDn, [memberChange(props, 'delete', memberDn)], [ResultCode.noSuchAttribute]);
  } catch (e) {
    if (!isResultCode(e, ResultCode.objectClassViolation)) throw e;
    await client.modify(groupDn, [memberChange(props, 'add', EMPTY_GROUP_PLACEHOLDER), memberChange(props, 'delete', memberDn)]);
  }
}

/** Points the memberships of a renamed entry at its new DN (the directory may have no referential-integrity overlay). */
export async function renameMember(client: Client, props: LdapProperties, groupDn: string, oldDn: string, newDn: string): Promise<void> {
  try {
    await client.modify(groupDn, [memberChange(props, 'add', newDn), memberChange(props, 'delete', oldDn)]);
  } catch (e) {
    if (!isResultCode(e, ResultCode.typeOrValueExists)) throw e;
    await removeMember(client, props, groupDn, oldDn);
  }
}

/** DNs of the groups under groupBaseDn (default baseDn) whose member attribute holds `memberDn`. */
export async function groupsOf(client: Client, props: LdapProperties, memberDn: string): Promise<string[]> {
  const dns: string[] = [];
  const pages = client.searchPaginated(props.groupBaseDn ?? props.baseDn, {
    scope: 'sub',
    filter: groupsWithMemberFilter(props, memberDn),
    attributes: ['1.1'],
    paged: { pageSize: props.pageSize },
  });
  for await (const page of pages) dns.push(...page.searchEntries.map((e) => e.dn));
  return dns;
}
