import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/embedded/paths';
import type { Settings } from '../../src/settings';
import { startTestApi, type TestApi } from './api';
import { startTestWorker, type TestWorker } from './worker';

/**
 * An API and a worker, and a tenant holding the example configuration (examples/dataset.xml) and the example HR file
 * (`hr.csv` in its data directory): the starting point of the end-to-end tests of synchronization runs.
 */
export async function startExampleTenant(settings: Settings, tenant: string): Promise<{ api: TestApi; worker: TestWorker; csvPath: string }> {
  const root = projectRoot();
  const csvPath = path.join(settings.dataDirAbs, tenant, 'hr.csv');
  mkdirSync(path.dirname(csvPath), { recursive: true });
  copyFileSync(path.join(root, 'examples/data/hr.csv'), csvPath);
  const [api, worker] = await Promise.all([startTestApi(settings), startTestWorker(settings)]);
  const imported = await api.req('POST', `/${tenant}/api/sync/conf/dataset/import`, readFileSync(path.join(root, 'examples/dataset.xml'), 'utf8'), { 'content-type': 'application/xml' });
  if (imported.status !== 200) throw new Error(`the example dataset did not import: ${imported.status} ${imported.text}`);
  return { api, worker, csvPath };
}
