import { sha256 } from '../../sha256';
import { AUXILIARY_OBJECT_CLASS, ENABLE, NAME, OBJECT_ID, PASSWORD, UID, type AttributeChange, type Attributes, type AttributeValue } from '../../connectors/types';
import { valuesOf } from '../../store/idm-model';

/**
 * What a provisioning run compares and writes. The shadow records the account as the service last wrote it
 * (`recordable(desired)`); the page reads the entries back in bulk and corrects the record where the directory
 * differs (correctedRecord, directory-check.ts), so the comparison of the desired account with the record also
 * repairs changes made by hand. An account the service has no record of (adopted, or linked by a synchronization)
 * is compared with the account as read.
 */

/** Never part of a desired account: the connector generates them. */
const GENERATED = new Set([UID, OBJECT_ID]);

const PASSWORD_HASH_PREFIX = 'sha256:';

/** A password is recorded as a hash: the shadow must not keep it in clear, only tell whether it changed. */
function passwordDigest(value: AttributeValue): AttributeValue {
  const values = valuesOf(value).map(String);
  if (values.length === 0) return null;
  return PASSWORD_HASH_PREFIX + sha256(JSON.stringify(values), 'hex');
}

/** The account as recorded in the shadow after a successful write of `desired`. */
export function recordable(desired: Attributes): Attributes {
  const out: Attributes = {};
  for (const [name, value] of Object.entries(desired)) {
    if (GENERATED.has(name)) continue;
    out[name] = name === PASSWORD ? passwordDigest(value) : value;
  }
  return out;
}

/** A DN compared the way a directory does, near enough: case and the spaces around separators do not count. */
export function dnKey(dn: string): string {
  return dn.replace(/\s*([,=+])\s*/g, '$1').trim().toLowerCase();
}

function scalar(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);
}

/** Comparable form of an attribute's values: a sorted list of strings (LDAP values are unordered sets). */
function comparable(name: string, value: AttributeValue | undefined, objectClassId: string): string[] {
  const values = valuesOf(value).map(scalar);
  if (name === NAME) return values.map(dnKey);
  if (name === AUXILIARY_OBJECT_CLASS) {
    // The main class and `top` are implicit; a server may report superclasses in any case.
    const implicit = new Set(['top', objectClassId.toLowerCase()]);
    return [...new Set(values.map((v) => v.toLowerCase()).filter((v) => !implicit.has(v)))].sort();
  }
  return [...new Set(values)].sort();
}

/** Looks an attribute up by name, case-insensitively (a directory answers with its schema's spelling). */
function lookup(attributes: Attributes, name: string): AttributeValue | undefined {
  if (name in attributes) return attributes[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : attributes[key];
}

export interface AccountDiff {
  /** the new name (DN) when the account must be renamed */
  newName: string | null;
  /** attribute changes, `__NAME__` excluded */
  changes: AttributeChange[];
}

/**
 * The changes that take the account from `current` to `desired`. Only attributes the mappings produce are managed:
 * an attribute the service does not map is left alone, a mapped null means "must not have it".
 * `current` is what the shadow recorded (`recorded: true`) or the account as read from the directory.
 */
export function diffAccount(desired: Attributes, current: Attributes, opts: { recorded: boolean; objectClassId: string }): AccountDiff {
  const diff: AccountDiff = { newName: null, changes: [] };
  for (const [name, value] of Object.entries(desired)) {
    if (GENERATED.has(name)) continue;
    const now = lookup(current, name);
    if (name === PASSWORD) {
      // Write-only: compared by digest with the record; an account read from the directory never shows it.
      if (opts.recorded && now !== undefined && now === passwordDigest(value)) continue;
      if (!opts.recorded && valuesOf(value).length === 0) continue;
    } else {
      const want = comparable(name, value, opts.objectClassId);
      const have = comparable(name, now, opts.objectClassId);
      // A recorded account that never had the attribute gets it written, even empty: the record is then complete.
      if (sameList(want, have) && (now !== undefined || !opts.recorded)) continue;
      if (name === ENABLE && want.length === 0) continue; // "no value" for a flag means: leave it as it is
    }
    if (name === NAME) {
      const dn = valuesOf(value)[0];
      if (dn !== undefined) diff.newName = String(dn);
      continue;
    }
    diff.changes.push({ op: 'replace', name, values: valuesOf(value) });
  }
  return diff;
}

/**
 * The record corrected by what the directory holds: every recorded attribute whose value differs from the account's
 * (changed or removed by hand) takes the account's value, so that the usual comparison with the desired account
 * writes it back. Null when the account holds what was recorded. A password cannot be read back: not compared.
 */
export function correctedRecord(record: Attributes, actual: { name: string; attributes: Attributes }, objectClassId: string): Attributes | null {
  let corrected: Attributes | null = null;
  for (const [name, value] of Object.entries(record)) {
    if (GENERATED.has(name) || name === PASSWORD) continue;
    const want = comparable(name, value, objectClassId);
    if (name === ENABLE && want.length === 0) continue;
    const have = name === NAME ? actual.name : lookup(actual.attributes, name);
    if (sameList(want, comparable(name, have, objectClassId))) continue;
    corrected ??= { ...record };
    corrected[name] = have ?? null;
  }
  return corrected;
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Membership changes from `current` to `desired` (group DNs, compared as DNs). */
export function diffMemberships(desired: readonly string[], current: readonly string[]): { add: string[]; remove: string[] } {
  const want = new Set(desired.map(dnKey));
  const have = new Set(current.map(dnKey));
  return { add: desired.filter((g) => !have.has(dnKey(g))), remove: current.filter((g) => !want.has(dnKey(g))) };
}
