import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above this file holding package.json (works from src/ and dist/src/). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

export const toolsBin = (name: string): string => path.join(projectRoot(), 'var', 'tools', 'bin', name);

export function slapdBinary(): string {
  for (const p of ['/usr/sbin/slapd', '/usr/local/sbin/slapd', '/usr/local/libexec/slapd']) if (existsSync(p)) return p;
  return 'slapd';
}

export function ldapModulePath(): string {
  for (const p of ['/usr/lib/ldap', '/usr/lib/x86_64-linux-gnu/ldap', '/usr/lib64/openldap', '/usr/local/libexec/openldap'])
    if (existsSync(p)) return p;
  return '/usr/lib/ldap';
}

export function ldapSchemaDir(): string {
  for (const p of ['/etc/ldap/schema', '/etc/openldap/schema', '/usr/local/etc/openldap/schema']) if (existsSync(p)) return p;
  return '/etc/ldap/schema';
}
