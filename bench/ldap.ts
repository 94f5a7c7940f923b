/** Directory-side helpers of the bench (and the LDAP tests), with the OpenLDAP client tools (streamed: 1M lines is fine). */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Client } from 'ldapts';
import type { SlapdInfo } from '../src/embedded/slapd';

/** The containers the directory application writes into: the bench's people container, and ou=groups. */
export async function ensureContainers(info: SlapdInfo, peopleDn: string): Promise<void> {
  const client = new Client({ url: info.url });
  try {
    await client.bind(info.bindDn, info.bindPassword);
    for (const dn of [`ou=groups,${info.suffix}`, peopleDn]) {
      try {
        await client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: /^ou=([^,]+)/.exec(dn)![1]! });
      } catch (e) {
        if ((e as { code?: number }).code !== 68) throw e; // already exists
      }
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Number of entries under `base` matching `filter` (paged search, DNs only). */
export async function countEntries(info: SlapdInfo, base: string, filter: string): Promise<number> {
  const child = spawn('ldapsearch', ['-x', '-LLL', '-H', info.url, '-D', info.bindDn, '-w', info.bindPassword, '-b', base, '-E', 'pr=1000/noprompt', filter, '1.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for await (const line of createInterface({ input: child.stdout })) if (line.startsWith('dn:')) count++;
  const code: number = await new Promise((r) => child.once('close', (c) => r(c ?? 1)));
  if (code !== 0 && code !== 32) throw new Error(`ldapsearch failed (${code}): ${stderr.trim()}`);
  return count;
}

/** LDAP GeneralizedTime (second precision) of a date. */
export const generalizedTime = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

/** Loads an LDIF text with ldapadd (much faster than one add request at a time from a test). */
export async function ldapadd(ldap: SlapdInfo, ldif: string): Promise<void> {
  const child = execFile('ldapadd', ['-x', '-H', ldap.url, '-D', ldap.bindDn, '-w', ldap.bindPassword], { maxBuffer: 64 * 1024 * 1024 });
  const done = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // ldapadd exiting early (bad LDIF) closes stdin: its exit code tells why, the EPIPE does not.
    child.stdin?.on('error', () => undefined);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ldapadd exited with ${code}: ${stderr}`))));
  });
  child.stdin?.end(ldif);
  await done;
}
