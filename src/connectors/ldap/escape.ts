import { Filter } from 'ldapts';

/**
 * Escaping of untrusted values for LDAP filters (RFC 4515) and distinguished names (RFC 4514), plus the small DN
 * parser the connector needs to compare DNs and split a DN into its RDN and parent (rename to a new superior).
 */

/** RFC 4515: `*`, `(`, `)`, `\` and NUL become `\XX`, so a value can never change the structure of a filter. */
export function escapeFilterValue(value: string): string {
  return Filter.escape(value);
}

/** Characters RFC 4514 §2.4 requires to be escaped anywhere in an attribute value. */
const DN_SPECIALS = new Set(['"', '+', ',', ';', '<', '>']);

/**
 * RFC 4514 §2.4. A backslash is written as the hex pair `\5c` rather than `\\`: ldapts' modifyDN splits the new DN
 * at the first comma not preceded by a backslash, which `\\,` (an escaped backslash ending a value) would defeat.
 */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const edge = (i === 0 && (ch === ' ' || ch === '#')) || (i === value.length - 1 && ch === ' ');
    if (ch === '\\') out += '\\5c';
    else if (ch === '\0') out += '\\00';
    else if (DN_SPECIALS.has(ch) || edge) out += '\\' + ch;
    else out += ch;
  }
  return out;
}

export interface AttributeValueAssertion {
  type: string;
  /** Unescaped value (a `#hex` BER value is kept as written). */
  value: string;
}
/** One RDN; several assertions when it is multi-valued (`cn=a+uid=b`). */
export type Rdn = AttributeValueAssertion[];

/** Thrown for a string that is not a DN; callers turn it into a permanent connector error. */
export class InvalidDnError extends Error {
  constructor(dn: string, reason: string) {
    super(`invalid DN "${dn}": ${reason}`);
    this.name = 'InvalidDnError';
  }
}

/** Parses an RFC 4514 DN (leniently accepting spaces around separators, as RFC 2253 producers write them). */
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  if (dn.trim() === '') return rdns;
  let rdn: Rdn = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new InvalidDnError(dn, reason);
  };
  while (i <= dn.length) {
    while (dn[i] === ' ') i++;
    const eq = dn.indexOf('=', i);
    if (eq < 0) fail(`missing "=" after position ${i}`);
    const type = dn.slice(i, eq).trim();
    if (!/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)$/.test(type)) fail(`bad attribute type "${type}"`);
    i = eq + 1;
    while (dn[i] === ' ') i++;
    const parsed = dn[i] === '#' ? readHexValue(dn, i) : readStringValue(dn, i, fail);
    rdn.push({ type, value: parsed.value });
    i = parsed.end;
    const sep = dn[i];
    if (sep === '+') {
      i++;
      continue;
    }
    rdns.push(rdn);
    rdn = [];
    if (sep === undefined) break;
    if (sep !== ',' && sep !== ';') fail(`unexpected "${sep}" at position ${i}`);
    i++;
  }
  return rdns;
}

function readHexValue(dn: string, start: number): { value: string; end: number } {
  let end = start + 1;
  while (end < dn.length && /[0-9A-Fa-f]/.test(dn.charAt(end))) end++;
  const value = dn.slice(start, end);
  while (dn[end] === ' ') end++;
  return { value, end };
}

function readStringValue(dn: string, start: number, fail: (reason: string) => never): { value: string; end: number } {
  const bytes: number[] = [];
  // Index in `bytes` after the last escaped character: unescaped trailing spaces before it are kept, after it trimmed.
  let keep = 0;
  let i = start;
  for (; i < dn.length; i++) {
    const ch = dn.charAt(i);
    if (ch === ',' || ch === '+' || ch === ';') break;
    if (ch === '\\') {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else if (i + 1 < dn.length) {
        bytes.push(...Buffer.from(dn.charAt(i + 1), 'utf8'));
        i += 1;
      } else fail('dangling "\\" at the end');
      keep = bytes.length;
    } else bytes.push(...Buffer.from(ch, 'utf8'));
  }
  let len = bytes.length;
  while (len > keep && bytes[len - 1] === 0x20) len--;
  return { value: Buffer.from(bytes.slice(0, len)).toString('utf8'), end: i };
}

export function formatRdn(rdn: Rdn): string {
  return rdn.map((ava) => `${ava.type}=${ava.value.startsWith('#') ? ava.value : escapeDnValue(ava.value)}`).join('+');
}

export function formatDn(rdns: Rdn[]): string {
  return rdns.map(formatRdn).join(',');
}

/**
 * A comparison key for DNs: attribute types and values lower-cased, multi-valued RDNs in a fixed order. Values are
 * compared case-insensitively because the naming attributes in use (cn, uid, ou, dc, o) all match that way.
 */
export function normalizeDn(dn: string): string {
  const rdns = parseDn(dn).map((rdn) =>
    rdn
      .map((ava) => ({ type: ava.type.toLowerCase(), value: ava.value.toLowerCase() }))
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)),
  );
  return formatDn(rdns);
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}

/** Splits `cn=x,ou=y,dc=z` into the RDN `cn=x` and the parent `ou=y,dc=z`, both re-serialized canonically. */
export function splitDn(dn: string): { rdn: string; parent: string } {
  const [first, ...rest] = parseDn(dn);
  if (!first) throw new InvalidDnError(dn, 'the empty DN has no RDN');
  return { rdn: formatRdn(first), parent: formatDn(rest) };
}
