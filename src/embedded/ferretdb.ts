import { mkdirSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { startProcess, waitFor, type ManagedProcess } from './process';
import { toolsBin } from './paths';

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
      `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR ?? '-'}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { logDir: o.logDir },
  );
  await waitFor('ferretdb', () => mongoPing(`mongodb://127.0.0.1:${o.port}/`), { timeoutMs: 30_000, child: proc.child });
  return proc;
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
