import { mkdirSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { startProcess, waitFor, type ManagedProcess } from './process';
import { toolsBin } from './paths';
import { SettingsError } from '../settings';

export interface FerretOptions {
  port: number;
  dataDir: string;
  logDir: string;
}

/** Starts FerretDB 1.x on its SQLite backend; ready once a `ping` answers. */
export async function startFerretDb(o: FerretOptions): Promise<ManagedProcess> {
  mkdirSync(o.dataDir, { recursive: true });
  const proc = startProcess(
    'ferretdb',
    toolsBin('ferretdb'),
    [
      '--handler=sqlite',
      `--sqlite-url=file:${o.dataDir}/`,
      `--state-dir=${o.dataDir}`,
      `--listen-addr=127.0.0.1:${o.port}`,
      // FERRETDB_DEBUG_ADDR (host:port) serves FerretDB's pprof and metrics there, for profiling; off by default
      `--debug-addr=${ferretDebugAddr()}`,
      '--telemetry=disable',
      '--log-level=warn',
      `--test-batch-size=${ferretInsertBatch()}`,
    ],
    { logDir: o.logDir, env: { ...process.env, ...ferretGoEnv() } },
  );
  await waitFor('ferretdb', () => mongoPing(`mongodb://127.0.0.1:${o.port}/`), { timeoutMs: 30_000, child: proc.child });
  return proc;
}

/**
 * Go's garbage collector at its default (GOGC=100) is a large part of FerretDB's CPU under a run: every document it
 * reads is decoded into short-lived values (the profile: GC marking 13–15% of its CPU, allocation with GC assists
 * another 20%). GOGC=400 collects a quarter as often: measured at 20,000 accounts, FerretDB's CPU fell by a fifth
 * to a third in import, reconciliation and provisioning, for 35–110 MiB more memory. GOMEMLIMIT bounds that: near
 * the limit Go collects as often as it must. FERRETDB_GOGC and FERRETDB_GOMEMLIMIT override both.
 */
export function ferretGoEnv(env: NodeJS.ProcessEnv = process.env): { GOGC: string; GOMEMLIMIT: string } {
  const gogc = env.FERRETDB_GOGC || '400';
  const limit = env.FERRETDB_GOMEMLIMIT || '1GiB';
  if (!/^(off|[1-9]\d{0,5})$/.test(gogc))
    throw new SettingsError(`invalid environment variable FERRETDB_GOGC=${JSON.stringify(gogc)}: expected a percentage (1-999999) or off, e.g. 400`);
  if (!/^[1-9]\d{0,15}(B|KiB|MiB|GiB|TiB)?$/.test(limit))
    throw new SettingsError(`invalid environment variable FERRETDB_GOMEMLIMIT=${JSON.stringify(limit)}: expected a size such as 1GiB, 768MiB or 1073741824`);
  return { GOGC: gogc, GOMEMLIMIT: limit };
}

/**
 * FerretDB 1.24 splits the documents of an insert command into SQLite transactions of `--test-batch-size` documents,
 * 100 by default: a page's 2,000 new shadows were 20 transactions, each with its own commit (WAL frames, checksums, a
 * sync). With 10,000, every insert command of a page (pages are 2,000 accounts by default) is one transaction.
 * Measured at 100,000 accounts, three alternating runs each: the import's FerretDB CPU fell by a fifth (15.4–16.5 →
 * 12.1–12.7 s) and its wall time by a sixth; the no-change reconciliation's by 7% (docs/decisions.md). An insert that
 * hits a duplicate `_id` (a replayed page) still inserts the rest: FerretDB then retries that batch one document at a
 * time. FERRETDB_INSERT_BATCH overrides it (1–100,000, FerretDB's largest write batch).
 */
export function ferretInsertBatch(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.FERRETDB_INSERT_BATCH || '10000';
  const n = /^[1-9]\d{0,5}$/.test(value) ? Number(value) : NaN;
  if (!(n <= 100_000))
    throw new SettingsError(`invalid environment variable FERRETDB_INSERT_BATCH=${JSON.stringify(value)}: expected a number of documents from 1 to 100000, e.g. 10000`);
  return n;
}

export function ferretDebugAddr(env: NodeJS.ProcessEnv = process.env): string {
  const addr = env.FERRETDB_DEBUG_ADDR || '-';
  if (addr !== '-' && !/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(addr))
    throw new SettingsError(`invalid environment variable FERRETDB_DEBUG_ADDR=${JSON.stringify(addr)}: expected host:port, e.g. 127.0.0.1:6060`);
  return addr;
}

export async function mongoPing(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}
