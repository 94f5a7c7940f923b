/**
 * The processes a bench drives: the embedded servers (its own, on free loopback ports, or given ones), and the
 * service's worker and API as separate child processes (`dist/src/worker.js`, `dist/src/server.js`), exactly as
 * `npm start` runs them.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort, startProcess, waitFor, type ManagedProcess } from '../src/embedded/process';
import { projectRoot } from '../src/embedded/paths';
import { startEmbeddedStack, type EmbeddedStack } from '../src/embedded/stack';
import type { SlapdInfo } from '../src/embedded/slapd';

export interface Servers {
  temporalAddress: string;
  mongoUri: string;
  ldap: SlapdInfo;
  /** pids of the servers this bench started (none when it uses servers given to it) */
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** Starts Temporal (in memory), FerretDB and slapd under `varDir` on free loopback ports. */
export async function startServers(varDir: string): Promise<Servers> {
  const [temporalPort, mongoPort, ldapPort] = [await freePort(), await freePort(), await freePort()];
  const mongoUri = `mongodb://127.0.0.1:${mongoPort}/`;
  const stack: EmbeddedStack = await startEmbeddedStack({ varDir, temporalPort, mongoUri, mongoPort, ldapPort, freshLdap: true });
  const pids: Record<string, number> = {};
  for (const p of stack.started) if (p.child.pid) pids[p.name] = p.child.pid;
  return { temporalAddress: `127.0.0.1:${temporalPort}`, mongoUri, ldap: stack.ldap!, pids, stop: () => stack.stop() };
}

export interface ServiceEnv {
  temporalAddress: string;
  mongoUri: string;
  dataDir: string;
  taskQueue: string;
  pageSize: number;
  extra?: Record<string, string>;
}

export function distFile(rel: string): string {
  const file = path.join(projectRoot(), 'dist', rel);
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (npm run build, or npm run bench which builds)`);
  return file;
}

function childEnv(e: ServiceEnv, apiPort: number | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: e.temporalAddress,
    MONGODB_URI: e.mongoUri,
    DATA_DIR: e.dataDir,
    TEMPORAL_TASK_QUEUE: e.taskQueue,
    API_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PAGE_SIZE: String(e.pageSize),
    ...e.extra,
  };
  if (apiPort !== null) env.API_PORT = String(apiPort);
  return env;
}

export interface Child {
  proc: ManagedProcess;
  pid: number;
}

/** Workers and APIs started by this bench process, so an interrupted bench does not leave them running. */
const children = new Set<ManagedProcess>();

function track(proc: ManagedProcess): ManagedProcess {
  children.add(proc);
  proc.child.once('exit', () => children.delete(proc));
  return proc;
}

/** Stops every worker and API still running (an interrupted scenario's). */
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map((p) => p.stop('SIGTERM', 10_000)));
}

/** The API process; ready when /healthz answers 200. */
export async function startApi(e: ServiceEnv, logDir: string): Promise<Child & { url: string }> {
  const port = await freePort();
  const proc = track(startProcess('api', process.execPath, [distFile('src/server.js')], { logDir, env: childEnv(e, port) }));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('api', async () => fetch(`${url}/healthz`).then((r) => r.status === 200, () => false), { timeoutMs: 60_000, child: proc.child });
  return { proc, pid: proc.child.pid!, url };
}

/**
 * The worker process, optionally with a CPU profile written to `cpuProfDir` when it exits gracefully (SIGTERM).
 * Ready when Temporal lists it (its default identity `<pid>@<host>`) among the pollers of the task queue.
 */
export async function startWorker(e: ServiceEnv, logDir: string, opts: { cpuProfDir?: string } = {}): Promise<Child> {
  const args: string[] = [];
  if (opts.cpuProfDir) {
    mkdirSync(opts.cpuProfDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, '--cpu-prof-interval=2000');
  }
  const proc = track(startProcess('worker', process.execPath, [...args, distFile('src/worker.js')], { logDir, env: childEnv(e, null) }));
  const pid = proc.child.pid!;
  const connection = await Connection.connect({ address: e.temporalAddress });
  try {
    const identity = `${pid}@${os.hostname()}`;
    await waitFor(
      'worker',
      async () => {
        const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: e.taskQueue }, taskQueueType: 1 });
        return r.pollers.some((p) => p.identity === identity);
      },
      { timeoutMs: 120_000, intervalMs: 250, child: proc.child },
    );
  } finally {
    await connection.close();
  }
  return { proc, pid };
}

/** Stops a worker so it writes its CPU profiles (main thread, workflow threads); returns the files written. */
export async function stopWorker(w: Child, cpuProfDir?: string): Promise<string[]> {
  await w.proc.stop('SIGTERM', 60_000);
  if (!cpuProfDir || !existsSync(cpuProfDir)) return [];
  return readdirSync(cpuProfDir)
    .filter((f) => f.includes(`.${w.pid}.`) && f.endsWith('.cpuprofile'))
    .map((f) => path.join(cpuProfDir, f));
}
