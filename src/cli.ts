import path from 'node:path';
import { loadSettingsOrExit } from './settings';
import { startEmbeddedStack } from './embedded/stack';
import { seedDemoDirectory } from './embedded/slapd';
import { startProcess, waitFor, type ManagedProcess } from './embedded/process';
import { projectRoot } from './embedded/paths';

/**
 * `npm start`: the embedded deployment on one machine. Starts (or reuses) Temporal, FerretDB and slapd,
 * then the worker and the API, prints the URLs, and on Ctrl-C stops what it started and nothing else.
 */
async function start(): Promise<void> {
  const settings = loadSettingsOrExit();
  const root = projectRoot();
  const varDir = path.join(root, 'var');
  const [, temporalPort] = settings.TEMPORAL_ADDRESS.split(/:(?=\d+$)/);
  const mongoPort = Number(/:(\d+)(\/|$)/.exec(settings.MONGODB_URI)?.[1] ?? settings.MONGODB_PORT);
  const say = (s: string) => process.stdout.write(s + '\n');

  say('starting embedded servers (Temporal dev server, FerretDB, slapd)...');
  const stack = await startEmbeddedStack({
    varDir,
    temporalPort: Number(temporalPort),
    temporalUiPort: settings.TEMPORAL_UI_PORT,
    temporalDbFile: path.join(varDir, 'temporal', 'temporal.db'),
    mongoUri: settings.MONGODB_URI,
    mongoPort,
    ldapPort: settings.LDAP_PORT,
    reuseRunning: true,
  });
  if (stack.reused.length) say(`reusing servers already running: ${stack.reused.join(', ')}`);
  if (stack.ldap) await seedDemoDirectory(stack.ldap);

  const env = { ...process.env, DATA_DIR: settings.dataDirAbs };
  const logDir = path.join(varDir, 'log');
  const children: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping...');
    await Promise.all(children.map((c) => c.stop()));
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const node = process.execPath;
  for (const [name, file] of [['worker', 'worker.js'], ['api', 'server.js']] as const) {
    const child = startProcess(name, node, [path.join(__dirname, file)], { logDir, env });
    child.child.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`error: the ${name} process exited (code ${code}); see ${path.join(logDir, name + '.log')}\n`);
        void stopAll(1);
      }
    });
    children.push(child);
  }
  const api = `http://${settings.API_HOST}:${settings.API_PORT}`;
  await waitFor('api', async () => (await fetch(`${api}/healthz`).then((r) => r.status === 200, () => false)), { timeoutMs: 120_000 });
  say('');
  say(`  API          ${api}   (health: ${api}/healthz)`);
  say(`  Temporal UI  http://127.0.0.1:${settings.TEMPORAL_UI_PORT}`);
  say(`  Temporal     ${settings.TEMPORAL_ADDRESS}   namespace ${settings.TEMPORAL_NAMESPACE}, task queue ${settings.TEMPORAL_TASK_QUEUE}`);
  say(`  MongoDB      ${settings.MONGODB_URI}`);
  if (stack.ldap) say(`  LDAP (demo)  ${stack.ldap.url}   ${stack.ldap.bindDn} / ${stack.ldap.bindPassword}`);
  say(`  Data dir     ${settings.dataDirAbs}   logs: ${logDir}`);
  say('');
  say('Ctrl-C stops everything started here.');
}

const command = process.argv[2] ?? 'start';
if (command === 'start') {
  start().catch((err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`error: unknown command ${command}; usage: cli start\n`);
  process.exit(1);
}
