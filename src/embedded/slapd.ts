import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'ldapts';
import { startProcess, waitFor, type ManagedProcess } from './process';
import { ldapModulePath, ldapSchemaDir, slapdBinary } from './paths';

export interface SlapdOptions {
  port: number;
  dir: string; // config + database live here; wiped on start when `fresh`
  logDir: string;
  suffix?: string;
  adminPassword?: string;
  fresh?: boolean;
}

export interface SlapdInfo {
  url: string;
  suffix: string;
  bindDn: string;
  bindPassword: string;
}

/**
 * Starts a private slapd (never the system one) with a generated slapd.conf on a loopback port:
 * mdb database, the usual person schemas, and the sssvlv overlay so clients can ask for server-side sorting.
 */
export async function startSlapd(o: SlapdOptions): Promise<{ proc: ManagedProcess; info: SlapdInfo }> {
  const suffix = o.suffix ?? 'dc=example,dc=com';
  const adminPassword = o.adminPassword ?? 'admin-secret';
  const bindDn = `cn=admin,${suffix}`;
  if (o.fresh) rmSync(o.dir, { recursive: true, force: true });
  const dbDir = path.join(o.dir, 'db');
  mkdirSync(dbDir, { recursive: true });
  const schema = ldapSchemaDir();
  const conf = [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${schema}/${s}.schema`),
    `pidfile ${path.join(o.dir, 'slapd.pid')}`,
    `argsfile ${path.join(o.dir, 'slapd.args')}`,
    `modulepath ${ldapModulePath()}`,
    'moduleload back_mdb',
    'moduleload sssvlv',
    // Group members kept sorted: adding one member to a group of 100,000 is a binary search, not a scan.
    'sortvals member uniqueMember memberUid',
    'sizelimit unlimited',
    'timelimit unlimited',
    'database mdb',
    `suffix "${suffix}"`,
    `rootdn "${bindDn}"`,
    `rootpw ${adminPassword}`,
    `directory ${dbDir}`,
    // The map's upper bound, not an allocation (the file is sparse): 1,000,000 provisioned accounts with their indexes
    // need a few GiB.
    'maxsize 17179869184',
    'index objectClass eq',
    'index entryUUID eq',
    'index uid,cn,mail eq',
    'index member eq',
    // Large multi-valued attributes stored apart from their entry: a member added to a big group rewrites a few
    // pages, not the whole entry.
    'multival member,uniqueMember,memberUid 100,10',
    'overlay sssvlv',
    '',
  ].join('\n');
  const confFile = path.join(o.dir, 'slapd.conf');
  writeFileSync(confFile, conf);
  const url = `ldap://127.0.0.1:${o.port}`;
  const proc = startProcess('slapd', slapdBinary(), ['-d', '0', '-f', confFile, '-h', `${url}/`], {
    logDir: o.logDir,
  });
  const info: SlapdInfo = { url, suffix, bindDn, bindPassword: adminPassword };
  await waitFor('slapd', () => canBind(info), { timeoutMs: 20_000, child: proc.child });
  await ensureSuffix(info);
  return { proc, info };
}

async function canBind(info: SlapdInfo): Promise<boolean> {
  const client = new Client({ url: info.url, connectTimeout: 500, timeout: 1000 });
  try {
    await client.bind(info.bindDn, info.bindPassword);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function ensureSuffix(info: SlapdInfo): Promise<void> {
  const client = new Client({ url: info.url });
  try {
    await client.bind(info.bindDn, info.bindPassword);
    const dc = /^dc=([^,]+)/.exec(info.suffix)?.[1] ?? 'example';
    await client.add(info.suffix, { objectClass: ['top', 'dcObject', 'organization'], dc, o: dc });
  } catch (e) {
    if (!(e instanceof Error && /already exists/i.test(e.message)) && (e as { code?: number }).code !== 68) throw e;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/**
 * The demo tree the examples provision into (examples/README.md): ou=people, ou=groups and the `staff` group the
 * `directory-staff` profile assigns. Idempotent: entries that exist are left as they are.
 */
export async function seedDemoDirectory(info: SlapdInfo): Promise<void> {
  const client = new Client({ url: info.url });
  const add = async (dn: string, attributes: Record<string, string | string[]>) => {
    try {
      await client.add(dn, attributes);
    } catch (e) {
      if ((e as { code?: number }).code !== 68) throw e; // entryAlreadyExists
    }
  };
  try {
    await client.bind(info.bindDn, info.bindPassword);
    await add(`ou=people,${info.suffix}`, { objectClass: ['top', 'organizationalUnit'], ou: 'people' });
    await add(`ou=groups,${info.suffix}`, { objectClass: ['top', 'organizationalUnit'], ou: 'groups' });
    // groupOfNames needs a member: the empty DN stands in until real members arrive (as the LDAP connector does).
    await add(`cn=staff,ou=groups,${info.suffix}`, { objectClass: ['top', 'groupOfNames'], cn: 'staff', member: '' });
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
