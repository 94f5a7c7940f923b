import type { Client } from '@temporalio/client';
import type { Settings } from '../settings';
import type { TenantDbs } from '../store/mongo';

export interface ActivityDeps {
  settings: Settings;
  dbs: TenantDbs;
  temporal: Client;
}
