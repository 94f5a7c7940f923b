import type { Client } from '@temporalio/client';
import type { ConfigListeners } from '../config/service';
import type { Settings } from '../settings';
import type { TenantDbs } from '../store/mongo';
import { configListeners } from '../tasks/config-listeners';

/** Everything the HTTP layer needs, built once by the process entry point (or a test): see `apiContext()`. */
export interface ApiContext {
  settings: Settings;
  dbs: TenantDbs;
  temporal: Client;
  /** Called after each configuration write (schedules, correlation indexes). */
  configListeners?: ConfigListeners;
}

/** The context of a real deployment: configuration writes keep schedules and correlation keys in step. */
export function apiContext(settings: Settings, dbs: TenantDbs, temporal: Client): ApiContext {
  return { settings, dbs, temporal, configListeners: configListeners({ temporal, taskQueue: settings.TEMPORAL_TASK_QUEUE, dbs }) };
}
