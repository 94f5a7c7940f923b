import path from 'node:path';
import { z } from 'zod';

/** Runtime settings (SPEC.md §9), read from the environment once and validated before anything starts. */
const port = (def: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number (1-65535)' })
    .int('expected a TCP port number (1-65535)')
    .min(1, 'expected a TCP port number (1-65535)')
    .max(65535, 'expected a TCP port number (1-65535)')
    .default(def);

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');

export const settingsSchema = z.object({
  API_PORT: port(8080),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('idm-sync'),
  TEMPORAL_UI_PORT: port(8233),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a MongoDB connection string, e.g. mongodb://127.0.0.1:27017')
    .default('mongodb://127.0.0.1:27017'),
  MONGODB_DB_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]{1,20}$/, 'expected 1-20 characters of a-z, 0-9 or _')
    .default('idmsync'),
  DATA_DIR: z.string().min(1).default('var/data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  SECRETS_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex characters (a 256-bit AES key)')
    .optional(),
  PAGE_SIZE: z.coerce.number().int().min(1).max(10_000).default(2000),
  PAGE_DECIDE_AHEAD: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'),
  SCRIPT_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  SCRIPT_MEMORY_MB: z.coerce.number().int().min(1).max(1024).default(32),
  WORKER_ACTIVITY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  WORKER_WORKFLOW_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(40),
  LDAP_PORT: port(3389),
  MONGODB_PORT: port(27017),
});

export type Settings = z.infer<typeof settingsSchema> & { dataDirAbs: string };

export class SettingsError extends Error {}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = settingsSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '?');
    throw new SettingsError(`invalid environment variable ${name}=${JSON.stringify(picked[name] ?? '')}: ${issue.message}`);
  }
  return { ...parsed.data, dataDirAbs: path.resolve(parsed.data.DATA_DIR) };
}

/** For process entry points: a bad setting stops the process with one line and exit code 1. */
export function loadSettingsOrExit(): Settings {
  return orExitOnSettingsError(() => loadSettings());
}

/** Runs a settings check; a SettingsError stops the process with its one line and exit code 1. */
export function orExitOnSettingsError<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof SettingsError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}
