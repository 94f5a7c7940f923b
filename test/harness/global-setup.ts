import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort } from '../../src/embedded/process';
import { startEmbeddedStack, type EmbeddedStack } from '../../src/embedded/stack';
import { projectRoot } from '../../src/embedded/paths';
import type { TestEnv } from './env';
import { cleanStaleRuns } from './stale-runs';

declare global {
  var __idmStack: EmbeddedStack | undefined;
}

/** Starts one Temporal dev server, FerretDB and slapd on free loopback ports for the whole integration run. */
export default async function globalSetup(): Promise<void> {
  const root = projectRoot();
  cleanStaleRuns(path.join(root, 'var', 'test'));
  const varDir = path.join(root, 'var', 'test', `run-${process.pid}`);
  rmSync(varDir, { recursive: true, force: true });
  mkdirSync(varDir, { recursive: true });
  const [temporalPort, mongoPort, ldapPort] = [await freePort(), await freePort(), await freePort()];
  const mongoUri = `mongodb://127.0.0.1:${mongoPort}/`;
  const [stack, bundle] = await Promise.all([
    startEmbeddedStack({
      varDir,
      temporalPort,
      mongoUri,
      mongoPort,
      ldapPort,
      freshLdap: true,
      // Low threshold so continue-as-new happens in ordinary test runs, not only in a dedicated one.
      temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 },
    }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows') }),
  ]);
  globalThis.__idmStack = stack;
  const bundlePath = path.join(varDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const env: TestEnv = {
    varDir,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    mongoUri,
    ldap: stack.ldap!,
    workflowBundlePath: bundlePath,
    dataDir: path.join(varDir, 'data'),
  };
  mkdirSync(env.dataDir, { recursive: true });
  const envFile = path.join(varDir, 'env.json');
  writeFileSync(envFile, JSON.stringify(env, null, 2));
  process.env.IDM_TEST_ENV = envFile;
}
