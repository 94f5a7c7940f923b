import path from 'node:path';
import type { ManagedProcess } from './process';
import { isListening } from './process';
import { startTemporalDev } from './temporal';
import { mongoPing, startFerretDb } from './ferretdb';
import { startSlapd, type SlapdInfo } from './slapd';

export interface EmbeddedStackOptions {
  varDir: string;
  temporalPort: number;
  temporalUiPort?: number;
  mongoUri: string;
  mongoPort: number;
  ldapPort?: number;
  temporalDynamicConfig?: Record<string, unknown>;
  temporalDbFile?: string;
  freshLdap?: boolean;
  /** Reuse a server already answering at the address instead of starting one (npm start). */
  reuseRunning?: boolean;
}

export interface EmbeddedStack {
  started: ManagedProcess[];
  reused: string[];
  ldap?: SlapdInfo;
  stop(): Promise<void>;
}

/** Starts the servers the service needs on one machine, in parallel, and stops exactly those it started. */
export async function startEmbeddedStack(o: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const started: ManagedProcess[] = [];
  const reused: string[] = [];
  const logDir = path.join(o.varDir, 'log');
  let ldap: SlapdInfo | undefined;
  const jobs: Promise<void>[] = [];

  jobs.push((async () => {
    if (o.reuseRunning && (await isListening('127.0.0.1', o.temporalPort))) return void reused.push('temporal');
    started.push(await startTemporalDev({ port: o.temporalPort, uiPort: o.temporalUiPort, dbFile: o.temporalDbFile, logDir, dynamicConfig: o.temporalDynamicConfig }));
  })());
  jobs.push((async () => {
    if (o.reuseRunning && (await mongoPing(o.mongoUri))) return void reused.push('mongodb');
    started.push(await startFerretDb({ port: o.mongoPort, dataDir: path.join(o.varDir, 'ferretdb'), logDir }));
  })());
  if (o.ldapPort) {
    const ldapPort = o.ldapPort;
    jobs.push((async () => {
      if (o.reuseRunning && (await isListening('127.0.0.1', ldapPort))) return void reused.push('slapd');
      const s = await startSlapd({ port: ldapPort, dir: path.join(o.varDir, 'slapd'), logDir, fresh: o.freshLdap });
      started.push(s.proc);
      ldap = s.info;
    })());
  }
  const results = await Promise.allSettled(jobs);
  const stop = async () => {
    await Promise.all(started.map((p) => p.stop()));
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { started, reused, ldap, stop };
}
