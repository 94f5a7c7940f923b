import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/embedded/paths';
import type { TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import type { TestWorker } from '../harness/worker';
import { launch, waitForRun } from '../harness/runs';
import { startExampleTenant } from '../harness/example-tenant';

const root = projectRoot();

/**
 * The example dataset's `hr-reconciliation` has the post-processing definition `hr-report`: an error report with five
 * columns, a run report, and archives of the HR file that are never overwritten (SPEC.md §3.4, docs/decisions.md).
 */
describe('post-processing of synchronization runs', () => {
  const settings = testSettings({ PAGE_SIZE: '7' });
  const tenant = uniqueTenant('post');
  const tenantDir = path.join(settings.dataDirAbs, tenant);
  const csvPath = path.join(tenantDir, 'hr.csv');
  const reports = path.join(tenantDir, 'reports', 'hr-reconciliation');
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    ({ api, worker } = await startExampleTenant(settings, tenant));
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  const reconcile = async () => {
    const { id, path: p } = await launch(api, tenant, 'sync-tasks', 'hr-reconciliation');
    return { id, done: await waitForRun(api, `${p}?option=expandErrorDetails:true`) };
  };

  it('a task without post-processing writes nothing of the kind', async () => {
    const { path: p } = await launch(api, tenant, 'sync-tasks', 'hr-import');
    expect((await waitForRun(api, p)).outcomeStatus).toBe('SUCCESS');
    expect(existsSync(path.join(tenantDir, 'reports'))).toBe(false);
    expect(existsSync(path.join(tenantDir, 'archive'))).toBe(false);
  });

  it('writes the error report with the configured columns, the run report, and an archive of the file it read', async () => {
    const rows = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
    const evil = '=1+1,Eve,Formula,eve@example.com,Engineering,employee,';
    const content = [...rows, rows[1]!, evil, evil].join('\n') + '\n'; // E1001 twice, and a formula uid twice
    writeFileSync(csvPath, content);
    const { id, done } = await reconcile();
    expect(done.outcomeStatus).toBe('PARTIAL');
    expect(done.numberOfErrors).toBe(2);

    const errors = readFileSync(path.join(reports, `${id}-errors.csv`), 'utf8').split('\r\n');
    expect(errors[0]).toBe('SHADOW_ID,IDM_OBJECT_ID,ERROR_ID,ERROR_LABEL,ERROR_DESCRIPTION');
    expect(errors.slice(1, -1).sort()).toEqual([
      `'=1+1,,SYNC-E0001003,SOURCE_ROW_ERROR,"Duplicate __UID__ ""=1+1"": already read at line 23"`,
      `E1001,,SYNC-E0001003,SOURCE_ROW_ERROR,"Duplicate __UID__ ""E1001"": already read at line 2"`,
    ]);
    expect(errors.at(-1)).toBe('');

    const report = JSON.parse(readFileSync(path.join(reports, `${id}-report.json`), 'utf8')) as Record<string, unknown>;
    const { errorDetails: _details, processingTimeMillis: _t, endDate: _e, ...shown } = done;
    const { processingTimeMillis: _rt, endDate: reportEnd, ...reported } = report;
    expect(reported).toEqual({ ...shown, progressStatus: 'COMPLETED' });
    expect(Date.parse(String(reportEnd))).toBeLessThanOrEqual(Date.parse(String(done.endDate)));

    expect(readFileSync(path.join(tenantDir, 'archive', 'hr', `hr.${id}.csv`), 'utf8')).toBe(content);
    expect(readFileSync(csvPath, 'utf8')).toBe(content); // the source stays for the next run
  });

  it('keeps every run\'s archive; a failing step is an error of the run, which becomes PARTIAL, and the other steps still run', async () => {
    writeFileSync(csvPath, readFileSync(path.join(root, 'examples/data/hr.csv'), 'utf8'));
    const { id: clean, done: ok } = await reconcile();
    expect(ok.outcomeStatus).toBe('SUCCESS');
    expect(readdirSync(path.join(tenantDir, 'archive', 'hr'))).toHaveLength(2);
    expect(readFileSync(path.join(reports, `${clean}-errors.csv`), 'utf8')).toBe('SHADOW_ID,IDM_OBJECT_ID,ERROR_ID,ERROR_LABEL,ERROR_DESCRIPTION\r\n');

    // The archive directory now leads out of the tenant's data directory.
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    renameSync(path.join(tenantDir, 'archive'), path.join(tenantDir, 'old-archive'));
    symlinkSync(outside, path.join(tenantDir, 'archive'));
    const { id, done } = await reconcile();
    expect(done.outcomeStatus).toBe('PARTIAL');
    expect(done.numberOfErrors).toBe(1);
    expect(done.errorDetails).toEqual([
      expect.objectContaining({ label: 'POST_PROCESSING_ERROR', errorId: 'SYNC-E0001008', description: expect.stringMatching(/^file archiving failed: .*outside the tenant data directory/), properties: { step: 'file archiving' } }),
    ]);
    expect(readdirSync(outside)).toEqual([]);
    // the reports, written after the archive, tell the run as it ended
    expect(JSON.parse(readFileSync(path.join(reports, `${id}-report.json`), 'utf8'))).toEqual(expect.objectContaining({ outcomeStatus: 'PARTIAL', numberOfErrors: 1 }));
    const errors = readFileSync(path.join(reports, `${id}-errors.csv`), 'utf8').split('\r\n');
    expect(errors).toEqual(['SHADOW_ID,IDM_OBJECT_ID,ERROR_ID,ERROR_LABEL,ERROR_DESCRIPTION', expect.stringMatching(/^,,SYNC-E0001008,POST_PROCESSING_ERROR,"?file archiving failed: /), '']);
  });
});
