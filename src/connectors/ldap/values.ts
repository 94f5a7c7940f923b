import type { AttributeValue } from '../types';

/**
 * Conversions between LDAP attribute values and connector attribute values.
 *
 * Binary values are returned base64-encoded, never as raw bytes: attributes known to be binary (photos,
 * certificates, Active Directory GUID/SID, any `;binary` option) always, and any other value that is not valid
 * UTF-8 (ldapts hands those over as Buffers). Base64 keeps the data usable (a script can decode a photo) while
 * an account stays plain JSON.
 */
export const KNOWN_BINARY_ATTRIBUTES = [
  'jpegPhoto',
  'photo',
  'audio',
  'thumbnailPhoto',
  'userCertificate',
  'cACertificate',
  'certificateRevocationList',
  'authorityRevocationList',
  'crossCertificatePair',
  'userSMIMECertificate',
  'userPKCS12',
  'objectGUID',
  'objectSid',
];

export type LdapRawValue = string | Buffer | Array<string | Buffer>;

function toText(value: string | Buffer): string {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

/** The list of values of an attribute as ldapts returns it (a scalar for one value, an array otherwise). */
export function rawValues(raw: LdapRawValue | undefined): string[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(toText);
}

/** One value → scalar, several → array, none → null (types.ts: absent / empty means "no value"). */
export function toAttributeValue(values: string[]): AttributeValue {
  if (values.length === 0) return null;
  if (values.length === 1) return values[0] ?? null;
  return values;
}

/** An LDAP Boolean (RFC 4517 §3.3.3) is TRUE/FALSE; numbers are written in decimal. */
function toLdapString(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** Connector value (scalar, array, null) → the list of LDAP values to write; null/empty strings mean none. */
export function toLdapValues(value: AttributeValue | undefined): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map(toLdapString).filter((v) => v !== '');
}

/** Case-insensitive membership test: the attributes the connector manages (objectClass, DN-valued, names) match so. */
export function containsIgnoreCase(values: string[], value: string): boolean {
  const wanted = value.toLowerCase();
  return values.some((v) => v.toLowerCase() === wanted);
}
