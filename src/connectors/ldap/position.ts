import { ConnectorError, type Position } from '../types';

/**
 * Where the next page of an LDAP read starts: after the last uid returned, in the uid attribute's ORDERING rule.
 * `seen` counts the accounts returned so far, so item ordinals (ReadItem.line) continue across pages.
 *
 * Why not the RFC 2696 cookie: it is only valid on the connection that produced it (ARCHITECTURE.md §3), so it is
 * lost on a reconnect, a worker restart or an activity retry on another worker. A uid is meaningful to any
 * connection at any time, and resuming after it returns exactly the rest, entries deleted or added meanwhile
 * aside (an entry created with a uid below the position is seen by the next run, not this one).
 */
export interface LdapPosition {
  after: string;
  seen: number;
}

export function encodePosition(p: LdapPosition): Position {
  return JSON.stringify({ after: p.after, seen: p.seen });
}

export function decodePosition(position: Position | null): LdapPosition | null {
  if (position === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(position);
  } catch {
    parsed = undefined;
  }
  const p = parsed as Partial<LdapPosition> | undefined;
  if (!p || typeof p.after !== 'string' || typeof p.seen !== 'number' || !Number.isInteger(p.seen) || p.seen < 0)
    throw new ConnectorError('permanent', `invalid LDAP read position: ${position.slice(0, 200)}`, { code: 'invalidPosition' });
  return { after: p.after, seen: p.seen };
}
