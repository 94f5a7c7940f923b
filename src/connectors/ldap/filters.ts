import type { LdapProperties } from '../../config/connector-properties';
import { escapeFilterValue } from './escape';

/** `searchFilter` may be written with or without its outer parentheses (`uid=a*` or `(uid=a*)`). */
function parenthesized(filter: string): string {
  const f = filter.trim();
  return f.startsWith('(') ? f : `(${f})`;
}

/**
 * The accounts of an object class: `(&(objectClass=<id>)(<uid>=*)<searchFilter>)`. The presence test on the uid
 * attribute keeps count() and readPage() in agreement: paging resumes by uid, so an entry without one could be
 * listed on the first page only.
 */
export function accountsFilter(props: LdapProperties, objectClassId: string): string {
  const extra = props.searchFilter ? parenthesized(props.searchFilter) : '';
  return `(&(objectClass=${escapeFilterValue(objectClassId)})(${props.uidAttribute}=*)${extra})`;
}

/** One account of the object class by its uid (escaped: a uid like `*)(uid=*` matches nothing but itself). */
export function accountByUidFilter(props: LdapProperties, objectClassId: string, uid: string): string {
  return `(&${accountsFilter(props, objectClassId)}(${props.uidAttribute}=${escapeFilterValue(uid)}))`;
}

/** The accounts of the object class among `uids` (one search for many: provisioning checks a page of accounts at once). */
export function accountsByUidsFilter(props: LdapProperties, objectClassId: string, uids: readonly string[]): string {
  return `(&${accountsFilter(props, objectClassId)}(|${uids.map((u) => `(${props.uidAttribute}=${escapeFilterValue(u)})`).join('')}))`;
}

/** Accounts strictly after `lastUid` in the uid attribute's ORDERING rule (the rule the sort control uses too). */
export function accountsAfterFilter(props: LdapProperties, objectClassId: string, lastUid: string): string {
  return `(&${accountsFilter(props, objectClassId)}(!(${props.uidAttribute}<=${escapeFilterValue(lastUid)})))`;
}

/** Groups holding `memberDn` in their member attribute. */
export function groupsWithMemberFilter(props: LdapProperties, memberDn: string): string {
  return `(&(objectClass=${escapeFilterValue(props.groupObjectClass)})(${props.groupMemberAttribute}=${escapeFilterValue(memberDn)}))`;
}
