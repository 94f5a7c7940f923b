import { sha256 } from '../sha256';

/** A UUID-shaped id derived from its parts, so a retried write lands on the same document. */
export function deterministicId(...parts: Array<string | number>): string {
  const h = sha256(JSON.stringify(parts), 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** The shadow of an account: one per (application, object class, __UID__) (ARCHITECTURE.md §3-4). */
export const shadowId = (applicationId: string, objectClassId: string, uid: string): string =>
  deterministicId('shadow', applicationId, objectClassId, uid);

/** The IDM object an ADD_IDM_OBJECT creates for an account's shadow generation (a reappearing account is new). */
export const createdObjectId = (shadow: string, generation: number): string => deterministicId('idm', shadow, generation);
