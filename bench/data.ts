/**
 * Deterministic benchmark data: an HR export of N employees with realistic attributes, drawn from a PRNG seeded
 * per row (row i is the same whatever N is), and the "changed" export of scenario 3: 10% of the rows modified,
 * 1% removed, 1% new. The expected run statistics of each file follow from the same arithmetic.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';

export const HEADER = 'employeeNumber,firstName,lastName,email,department,title,location,manager,hireDate,contractType';

const FIRST = ['Anna', 'Björn', 'Chloé', 'David', 'Émile', 'Fatima', 'Günter', 'Hana', 'Igor', 'José', 'Kenji', 'Léa', 'Mohamed', 'Nora', 'Oscar', 'Paula', 'Quentin', 'Rosa', 'Sven', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Yusuf', 'Zoé'];
const LAST = ['Martin', 'Müller', 'García', 'Nguyen', 'Smith', "O'Brien", 'Rossi', 'Dubois', 'Kowalski', 'Søren', 'Bernard', 'Lefèvre', 'Novak', 'Silva', 'Tanaka', 'Jensen', 'Moreau', 'Horváth', 'Ivanova', 'Kim'];
const DEPARTMENTS = ['Finance', 'Human Resources', 'Engineering', 'Sales, EMEA', 'Legal', 'Operations', 'Marketing', 'Support', 'Research', 'Procurement'];
const TITLES = ['Analyst', 'Engineer', 'Senior Engineer', 'Manager', 'Director', 'Assistant', 'Consultant', 'Specialist', 'Lead'];
const CITIES = ['Paris', 'München', 'Zürich', 'New York', 'São Paulo', 'Kraków', 'Lyon', 'Montréal', 'Tokyo'];

/** mulberry32: a tiny, fast, good-enough PRNG; seeded per row so any row can be produced alone. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 0x1d5eed;
const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
/** RFC 4180 quoting, only where needed. */
const field = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export const employeeNumber = (i: number): string => `E${String(i).padStart(7, '0')}`;

/** Row i of the export; `modified` changes the department and title (what a reorganization does). */
export function row(i: number, modified = false): string {
  const r = prng(SEED ^ Math.imul(i + 1, 0x9e3779b1));
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  let department = pick(r, DEPARTMENTS);
  let title = pick(r, TITLES);
  const location = pick(r, CITIES);
  const manager = i < 10 ? '' : employeeNumber(Math.floor(r() * Math.min(i, 50_000)));
  const hireDate = `${2000 + Math.floor(r() * 25)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  if (modified) {
    department = DEPARTMENTS[(DEPARTMENTS.indexOf(department) + 1) % DEPARTMENTS.length]!;
    title = TITLES[(TITLES.indexOf(title) + 1) % TITLES.length]!;
  }
  // Mixed case on purpose: the mapping lower-cases the email with a compute rule.
  const cap = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
  const email = `${cap(ascii(first))}.${ascii(last)}.${i}@Example.com`; // ASCII: LDAP's mail is an IA5String
  return [employeeNumber(i), first, last, email, department, title, location, manager, hireDate, 'employee'].map(field).join(',');
}

/** Scenario 3's changes, by row index: 1% removed, 10% modified (disjoint), and N/100 new rows after the last. */
export const isRemoved = (i: number): boolean => i % 100 === 7;
export const isModified = (i: number): boolean => i % 10 === 3;

export interface ChangedCounts {
  kept: number;
  modified: number;
  removed: number;
  added: number;
}

export function changedCounts(n: number): ChangedCounts {
  let removed = 0;
  let modified = 0;
  for (let i = 0; i < n; i++) {
    if (isRemoved(i)) removed++;
    else if (isModified(i)) modified++;
  }
  return { kept: n - removed, modified, removed, added: Math.floor(n / 100) };
}

async function writeRows(file: string, rows: Iterable<string>): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  let batch: string[] = [];
  const flush = async () => {
    if (!out.write(batch.join('\n') + '\n')) await once(out, 'drain');
    batch = [];
  };
  for (const line of rows) {
    batch.push(line);
    if (batch.length === 5000) await flush();
  }
  if (batch.length) await flush();
  out.end();
  await once(out, 'finish');
}

/** The export of N employees (rows 0..N-1). */
export async function writeBaseCsv(file: string, n: number): Promise<void> {
  await writeRows(file, (function* () {
    for (let i = 0; i < n; i++) yield row(i);
  })());
}

/** The changed export of scenario 3. */
export async function writeChangedCsv(file: string, n: number): Promise<void> {
  const { added } = changedCounts(n);
  await writeRows(file, (function* () {
    for (let i = 0; i < n; i++) {
      if (isRemoved(i)) continue;
      yield row(i, isModified(i));
    }
    for (let i = n; i < n + added; i++) yield row(i);
  })());
}
