import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { SlapdInfo } from '../../src/embedded/slapd';
import { loadSettings, type Settings } from '../../src/settings';

export interface TestEnv {
  varDir: string;
  temporalAddress: string;
  mongoUri: string;
  ldap: SlapdInfo;
  workflowBundlePath: string;
  dataDir: string;
}

let cached: TestEnv | undefined;

/** The servers the integration run's globalSetup started. */
export function testEnv(): TestEnv {
  if (!cached) {
    const file = process.env.IDM_TEST_ENV;
    if (!file) throw new Error('IDM_TEST_ENV is not set: integration tests run under the jest "integration" project');
    cached = JSON.parse(readFileSync(file, 'utf8')) as TestEnv;
  }
  return cached;
}

/** A unique tenant id per call, so test files never see each other's data. */
export function uniqueTenant(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Settings pointing at the test servers, with a task queue of the test's own (no stray worker steals its tasks). */
export function testSettings(overrides: Record<string, string> = {}): Settings {
  const env = testEnv();
  return loadSettings({
    TEMPORAL_ADDRESS: env.temporalAddress,
    MONGODB_URI: env.mongoUri,
    DATA_DIR: env.dataDir,
    TEMPORAL_TASK_QUEUE: `q-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}
