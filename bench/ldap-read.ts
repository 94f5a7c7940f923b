/**
 * `npm run bench:ldap-read -- [--n 1000000]`: how the LDAP connector reads a whole directory of N entries, on a slapd
 * of its own under var/bench/: one paged search (readAll, what a run stages) against the sorted search resumed by
 * uid that readPage does per page, sampled at five places (a full read by readPage takes hours at 1,000,000).
 * Prints the figures and writes them to bench/results/ldap-read-n<N>.json (docs/decisions.md, "LDAP sources"); the
 * slapd and its database are removed afterwards.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createLdapConnector } from '../src/connectors/ldap';
import { ldapPropertiesSchema } from '../src/config/connector-properties';
import { projectRoot } from '../src/embedded/paths';
import { freePort } from '../src/embedded/process';
import { startSlapd, type SlapdInfo } from '../src/embedded/slapd';
import { ensureContainers, ldapadd } from './ldap';

export interface LdapReadResult {
  n: number;
  pageSize: number;
  loadSeconds: number;
  readAll: { seconds: number; pages: number; total: number };
  /** readPage of one page starting at the given account ordinal */
  readPage: Array<{ at: number; items: number; ms: number }>;
  /** readPage's mean page time times the number of pages: what a full read that way would take */
  readPageFullEstimateSeconds: number;
}

/** Adds `n` people under `peopleDn` with ldapadd, in LDIF batches. */
async function load(info: SlapdInfo, peopleDn: string, n: number): Promise<void> {
  for (let start = 0; start < n; start += 20_000) {
    const ldif = Array.from({ length: Math.min(20_000, n - start) }, (_, k) => {
      const i = start + k;
      return `dn: uid=p${i},${peopleDn}\nobjectClass: inetOrgPerson\nuid: p${i}\ncn: Person ${i}\nsn: P${i}\ngivenName: P\nmail: p${i}@example.com\n`;
    }).join('\n');
    await ldapadd(info, ldif);
  }
}

/** Loads N entries into `peopleDn` (created if missing) and measures both ways of reading them. */
export async function measureLdapRead(info: SlapdInfo, peopleDn: string, n: number, pageSize = 500, log: (line: string) => void = () => undefined): Promise<LdapReadResult> {
  await ensureContainers(info, peopleDn);
  let t0 = performance.now();
  await load(info, peopleDn, n);
  const loadSeconds = (performance.now() - t0) / 1000;
  log(`loaded ${n} entries in ${loadSeconds.toFixed(1)} s`);
  const props = ldapPropertiesSchema.parse({ url: info.url, bindDn: info.bindDn, bindPassword: info.bindPassword, baseDn: peopleDn, pageSize });
  const connector = createLdapConnector(props);
  try {
    const uids: string[] = [];
    t0 = performance.now();
    const all = await connector.readAll!('inetOrgPerson', pageSize, async (_, items) => {
      for (const item of items) if (item.ok) uids.push(item.account.uid);
    });
    const readAll = { seconds: (performance.now() - t0) / 1000, ...all };
    log(`readAll: ${all.total} accounts in ${all.pages} pages, ${readAll.seconds.toFixed(1)} s`);
    // readPage orders by the uid's ORDERING rule; lower-case UUID strings sort the same way.
    uids.sort();
    const readPage: LdapReadResult['readPage'] = [];
    for (const at of [...new Set([0, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), Math.max(0, n - pageSize)])]) {
      const position = at === 0 ? null : JSON.stringify({ after: uids[at - 1], seen: at });
      t0 = performance.now();
      const page = await connector.readPage('inetOrgPerson', position, pageSize);
      readPage.push({ at, items: page.items.length, ms: Math.round(performance.now() - t0) });
      log(`readPage at ${at}: ${page.items.length} items in ${readPage[readPage.length - 1]!.ms} ms`);
    }
    const meanMs = readPage.reduce((a, r) => a + r.ms, 0) / readPage.length;
    return { n, pageSize, loadSeconds, readAll, readPage, readPageFullEstimateSeconds: Math.round((meanMs * Math.ceil(n / pageSize)) / 1000) };
  } finally {
    await connector.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--n');
  const n = at >= 0 ? Number(args[at + 1]) : 100_000;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n takes a positive integer, got ${args[at + 1]}`);
  const root = projectRoot();
  const dir = path.join(root, 'var', 'bench', `${new Date().toISOString().replace(/[:.]/g, '-')}-ldap-read`);
  const { proc, info } = await startSlapd({ port: await freePort(), dir: path.join(dir, 'slapd'), logDir: path.join(dir, 'log'), fresh: true });
  try {
    const result = await measureLdapRead(info, `ou=people,${info.suffix}`, n, 500, (line) => console.log(line));
    console.log(`a full read with readPage would take about ${result.readPageFullEstimateSeconds} s, against ${result.readAll.seconds.toFixed(1)} s with readAll`);
    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    const out = path.join(root, 'bench', 'results', `ldap-read-n${n}.json`);
    writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
    console.log(`results: ${path.relative(root, out)}`);
  } finally {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true }); // the directory's database: ~900 MB at 1,000,000 entries
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
