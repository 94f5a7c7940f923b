import type { Client } from '@temporalio/client';
import type { ConfigListeners } from '../config/service';
import type { Settings } from '../settings';
import type { TenantDbs } from '../store/mongo';

/** Everything the HTTP layer needs, built once by the process entry point (or a test). */
export interface ApiContext {
  settings: Settings;
  dbs: TenantDbs;
  temporal: Client;
  /** Called after each configuration write (schedules, correlation indexes). */
  configListeners?: ConfigListeners;
}
