/**
 * CSV connector streaming benchmark: generates a realistic HR export (1,000,000 rows, ~100 MB, plus a 100,000-row
 * file for comparison) in a temp dir, counts it, then reads it through readPage(pageSize 500) as an import does.
 * Reports rows/second and peak RSS (process.memoryUsage.rss() sampled after every page): with constant-memory
 * streaming the peak must not grow with the file (100k vs 1M). Each file is generated, then measured, in its own
 * child process, so neither the generator's garbage nor the previous size's heap distorts the RSS of a measurement.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/csv-stream.js [rows...]
 *
 * Writes bench/results/csv-stream.json.
 */
import { fork } from 'child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { once } from 'events';
import { tmpdir } from 'os';
import * as path from 'path';
import { csvPropertiesSchema } from '../src/config/connector-properties';
import { createCsvConnector } from '../src/connectors/csv';

const PAGE_SIZE = 500;
const HEADER = 'employeeId,login,firstName,lastName,mail,department,title,managerId,location,hireDate,status,groups';
const FIRST = ['Anna', 'Björn', 'Chloé', 'David', 'Émile', 'Fatima', 'Günter', 'Hana', 'Igor', 'José', 'Kenji', 'Léa'];
const LAST = ['Martin', 'Müller', 'García', 'Nguyen', 'Smith, Jr.', "O'Brien", 'Rossi', 'Dubois', 'Kowalski', 'Søren'];
const DEPARTMENTS = ['Finance', 'Human Resources', 'Engineering', 'Sales, EMEA', 'Legal', 'Operations'];
const TITLES = ['Analyst', 'Engineer', 'Manager', 'Director', 'Assistant', 'Consultant'];
const CITIES = ['Paris', 'München', 'Zürich', 'New York', 'São Paulo', 'Kraków'];
const GROUPS = ['staff', 'vpn', 'wiki', 'payroll', 'admins', 'git'];

const pick = <T>(list: T[], i: number): T => list[i % list.length] as T;
/** RFC 4180 quoting, only where needed (a delimiter, quote or newline in the value). */
const field = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

function row(i: number): string {
  const first = pick(FIRST, i);
  const last = pick(LAST, i * 7 + 3);
  const login = `${first[0]}${last.replace(/[^A-Za-z]/g, '')}${i}`.toLowerCase();
  const groups = GROUPS.filter((_, g) => (i >> g) & 1).join('|');
  return [
    `E${String(i).padStart(7, '0')}`,
    login,
    first,
    last,
    `${login}@example.com`,
    pick(DEPARTMENTS, i * 3),
    pick(TITLES, i * 5),
    `E${String(Math.floor(i / 10)).padStart(7, '0')}`,
    pick(CITIES, i * 11),
    `20${String(10 + (i % 15)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    i % 17 === 0 ? 'inactive' : 'active',
    groups,
  ]
    .map(field)
    .join(',');
}

async function generate(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  const batch = 10_000;
  for (let start = 0; start < rows; start += batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) lines.push(row(i));
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function measure(dataDir: string, fileName: string, rows: number) {
  const bytes = statSync(path.join(dataDir, fileName)).size;
  const props = csvPropertiesSchema.parse({ filePath: fileName, uidAttribute: 'employeeId', nameAttribute: 'login', multiValuedAttributes: ['groups'] });
  const connector = createCsvConnector(props, { dataDir });

  const countStart = process.hrtime.bigint();
  const counted = await connector.count('__ACCOUNT__');
  const countMs = Number(process.hrtime.bigint() - countStart) / 1e6;

  const rssStart = process.memoryUsage.rss();
  let peakRss = rssStart;
  let peakHeap = process.memoryUsage().heapUsed;
  const rssAtTenths: number[] = [];
  let read = 0;
  let errors = 0;
  let position: string | null = null;
  const readStart = process.hrtime.bigint();
  do {
    const page = await connector.readPage('__ACCOUNT__', position, PAGE_SIZE);
    for (const item of page.items) if (!item.ok) errors++;
    read += page.items.length;
    position = page.next;
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    if (read % 50_000 < PAGE_SIZE) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); // heapUsed is not free: sampled
    if (rssAtTenths.length < 10 && read >= ((rssAtTenths.length + 1) * rows) / 10) rssAtTenths.push(mib(rss));
  } while (position !== null);
  const readMs = Number(process.hrtime.bigint() - readStart) / 1e6;
  await connector.close();
  if (read !== rows || counted !== rows || errors !== 0) throw new Error(`expected ${rows} rows, read ${read}, counted ${counted}, errors ${errors}`);

  return {
    rows,
    fileMiB: mib(bytes),
    pageSize: PAGE_SIZE,
    count: { rows: counted, ms: Math.round(countMs), rowsPerSecond: Math.round(rows / (countMs / 1000)) },
    read: { ms: Math.round(readMs), rowsPerSecond: Math.round(rows / (readMs / 1000)), MiBPerSecond: Math.round((mib(bytes) / (readMs / 1000)) * 10) / 10 },
    rssMiB: { beforeRead: mib(rssStart), peak: mib(peakRss), atEachTenth: rssAtTenths },
    heapUsedMiB: { peakSampled: mib(peakHeap) },
  };
}

/** Runs this script again as a child with `args`, returning what the child sends back. */
async function child(args: string[]): Promise<unknown> {
  const worker = fork(__filename, args, { stdio: 'inherit' });
  const [[message], [code]] = await Promise.all([once(worker, 'message'), once(worker, 'exit')]);
  if (code !== 0) throw new Error(`child ${args.join(' ')} exited with ${String(code)}`);
  return message;
}

async function main(): Promise<void> {
  const [role, dataDir, fileName, rowsText] = process.argv.slice(2);
  if ((role === '--generate' || role === '--measure') && dataDir && fileName && rowsText) {
    const rows = Number(rowsText);
    const result = role === '--generate' ? await generate(path.join(dataDir, fileName), rows) : await measure(dataDir, fileName, rows);
    process.send?.(result);
    return;
  }
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const tempDir = mkdtempSync(path.join(tmpdir(), 'csv-bench-'));
  try {
    const results = [];
    for (const rows of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
      const name = `hr-${rows}.csv`;
      await child(['--generate', tempDir, name, String(rows)]);
      const result = await child(['--measure', tempDir, name, String(rows)]);
      console.log(JSON.stringify(result));
      results.push(result);
      rmSync(path.join(tempDir, name));
    }
    const out = path.join(__dirname, '..', '..', 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const report = { benchmark: 'csv-stream', node: process.version, date: new Date().toISOString(), results };
    writeFileSync(path.join(out, 'csv-stream.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written ${path.join(out, 'csv-stream.json')}`);
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
