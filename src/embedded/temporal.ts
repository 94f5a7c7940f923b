import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isListening, startProcess, waitFor, type ManagedProcess } from './process';
import { toolsBin } from './paths';
import { SEARCH_ATTRIBUTES } from '../temporal/search-attributes';

export interface TemporalDevOptions {
  port: number;
  uiPort?: number; // absent = headless
  dbFile?: string; // absent = in memory
  logDir: string;
  dynamicConfig?: Record<string, unknown>;
}

/** Starts `temporal server start-dev` with the project's search attributes registered. */
export async function startTemporalDev(o: TemporalDevOptions): Promise<ManagedProcess> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--log-level', 'warn'];
  if (o.uiPort) args.push('--ui-port', String(o.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  if (o.dbFile) {
    mkdirSync(path.dirname(o.dbFile), { recursive: true });
    args.push('--db-filename', o.dbFile);
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  for (const [k, v] of Object.entries(o.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${k}=${JSON.stringify(v)}`);
  const proc = startProcess('temporal', toolsBin('temporal'), args, { logDir: o.logDir });
  await waitFor('temporal dev server', () => isListening('127.0.0.1', o.port), { timeoutMs: 60_000, child: proc.child });
  return proc;
}
