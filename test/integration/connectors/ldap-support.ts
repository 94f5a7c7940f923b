import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { ldapPropertiesSchema, type LdapProperties } from '../../../src/config/connector-properties';
import { parseDn } from '../../../src/connectors/ldap';
import type { SlapdInfo } from '../../../src/embedded/slapd';
import { ldapadd } from '../../../bench/ldap';

export { ldapadd };

/** Shared by the LDAP connector tests: a private subtree per test file and an independent reader (ldapsearch). */

const exec = promisify(execFile);

export type LdifEntry = Record<string, string[]> & { dn: string[] };

/** Parses `ldapsearch -LLL -o ldif-wrap=no` output; `attr:: base64` values are decoded. */
export function parseLdif(text: string): LdifEntry[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const entry: Record<string, string[]> = {};
      for (const line of block.split('\n')) {
        const m = /^([^:]+)(::?) ?(.*)$/.exec(line);
        if (!m) continue;
        const [, name = '', sep, raw = ''] = m;
        const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
        (entry[name] ??= []).push(value);
      }
      return entry as LdifEntry;
    });
}

/** An independent check of the directory: the OpenLDAP command-line client, not the connector. */
export async function ldapsearch(ldap: SlapdInfo, base: string, filter = '(objectClass=*)', attrs: string[] = ['*', '+'], scope = 'sub'): Promise<LdifEntry[]> {
  try {
    const { stdout } = await exec('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', ldap.url, '-D', ldap.bindDn, '-w', ldap.bindPassword, '-b', base, '-s', scope, filter, ...attrs], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return parseLdif(stdout);
  } catch (e) {
    // Exit code 32: the base does not exist, i.e. nothing found.
    if ((e as { code?: number }).code === 32) return [];
    throw e;
  }
}

/** A fresh `ou=<prefix>-<random>` under the suffix, with `ou=people` and `ou=groups` below it. */
export async function createSubtree(ldap: SlapdInfo, prefix: string): Promise<{ base: string; people: string; groups: string }> {
  const base = `ou=${prefix}-${randomBytes(4).toString('hex')},${ldap.suffix}`;
  const people = `ou=people,${base}`;
  const groups = `ou=groups,${base}`;
  await ldapadd(ldap, [base, people, groups].map((dn) => `dn: ${dn}\nobjectClass: organizationalUnit\nou: ${/^ou=([^,]+)/.exec(dn)?.[1]}\n`).join('\n'));
  return { base, people, groups };
}

/** Deletes a subtree (tree delete, deepest entries first). */
export async function deleteSubtree(ldap: SlapdInfo, base: string): Promise<void> {
  const client = new Client({ url: ldap.url });
  try {
    await client.bind(ldap.bindDn, ldap.bindPassword);
    const { searchEntries } = await client.search(base, { scope: 'sub', attributes: ['1.1'], paged: { pageSize: 1000 } });
    // Deepest level first; the entries of one level are independent, so they go in parallel batches.
    const byDepth = new Map<number, string[]>();
    for (const { dn } of searchEntries) byDepth.set(parseDn(dn).length, [...(byDepth.get(parseDn(dn).length) ?? []), dn]);
    for (const depth of [...byDepth.keys()].sort((a, b) => b - a)) {
      const dns = byDepth.get(depth) ?? [];
      for (let i = 0; i < dns.length; i += 50) await Promise.all(dns.slice(i, i + 50).map((dn) => client.del(dn)));
    }
  } finally {
    await client.unbind();
  }
}

export function ldapProps(ldap: SlapdInfo, overrides: Partial<LdapProperties> & { baseDn: string }): LdapProperties {
  return ldapPropertiesSchema.parse({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword, ...overrides });
}

/** Entry LDIF for a person. */
export function personLdif(dn: string, uid: string, extra = ''): string {
  return `dn: ${dn}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: ${uid}\n${extra}`;
}
