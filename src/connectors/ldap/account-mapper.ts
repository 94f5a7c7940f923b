import type { Entry } from 'ldapts';
import type { LdapProperties } from '../../config/connector-properties';
import { AUXILIARY_OBJECT_CLASS, ENABLE, NAME, OBJECT_ID, UID, type Account, type Attributes } from '../types';
import { KNOWN_BINARY_ATTRIBUTES, rawValues, toAttributeValue } from './values';

/** Attributes never exposed on a read account: the password hash is write-only (`__PASSWORD__`). */
const HIDDEN_ATTRIBUTES = new Set(['userpassword']);

/** What every account search asks for: user attributes plus the uid attribute, which may be operational. */
export function accountSearchAttributes(props: LdapProperties): string[] {
  return ['*', props.uidAttribute];
}

/** Attributes ldapts must hand back as raw bytes (encoded as base64 by values.ts), with and without `;binary`. */
export const BINARY_ATTRIBUTES = KNOWN_BINARY_ATTRIBUTES.flatMap((a) => [a, `${a};binary`]);

/** Values of an attribute of an entry, looked up case-insensitively (servers return the schema's spelling). */
export function entryValues(entry: Entry, attribute: string): string[] {
  const wanted = attribute.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === wanted);
  return key === undefined || key === 'dn' ? [] : rawValues(entry[key]);
}

/**
 * Object classes beyond the main one (the object class id) and `top`: the seed's `__AUXILIARY_OBJECT_CLASS__`.
 * Superclasses a server stores explicitly (person, organizationalPerson) are reported too: they are values of
 * objectClass the entry carries, and writing them back is harmless.
 */
export function auxiliaryClasses(objectClasses: string[], objectClassId: string): string[] {
  const main = objectClassId.toLowerCase();
  return objectClasses.filter((oc) => oc.toLowerCase() !== main && oc.toLowerCase() !== 'top');
}

/** Turns a search entry into an account with the built-ins of SPEC.md §4; null when it has no uid value. */
export function toAccount(entry: Entry, objectClassId: string, props: LdapProperties): Account | null {
  const uid = entryValues(entry, props.uidAttribute)[0];
  if (uid === undefined) return null;
  const attributes: Attributes = {};
  for (const key of Object.keys(entry)) {
    if (key === 'dn' || HIDDEN_ATTRIBUTES.has(key.toLowerCase())) continue;
    const values = rawValues(entry[key]);
    // ldapts lists requested-but-absent attributes (and the `*` request itself) with no values: not attributes.
    if (values.length) attributes[key] = toAttributeValue(values);
  }
  attributes[UID] = uid;
  attributes[OBJECT_ID] = uid;
  attributes[NAME] = entry.dn;
  // Always a list, even of one: it is multi-valued by definition (SPEC.md §4), unlike schema-unknown attributes.
  attributes[AUXILIARY_OBJECT_CLASS] = auxiliaryClasses(entryValues(entry, 'objectClass'), objectClassId);
  if (props.disableStrategy) {
    const { attribute, disabledValue } = props.disableStrategy;
    // Anything but the disabled value (absent included) is enabled: entries created outside the service carry none.
    attributes[ENABLE] = !entryValues(entry, attribute).some((v) => v.toLowerCase() === disabledValue.toLowerCase());
  }
  return { uid, name: entry.dn, attributes };
}
