import path from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { startTestApi, type TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import { startTestWorker, type TestWorker } from '../harness/worker';
import { createBulkHrConfig, writeHrCsv } from '../harness/bulk-hr';
import { scheduleId } from '../../src/temporal/ids';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Execution plans as Temporal Schedules: a CRON job firing every 3 seconds, paused, resumed, then removed. */
describe('scheduled jobs', () => {
  const settings = testSettings();
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startTestApi(settings), startTestWorker(settings)]);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('a CRON plan fires runs; a paused job does not fire; resumed, it fires again; MANUAL and delete remove it; a ONCE limit does not outlive its plan', async () => {
    const tenant = uniqueTenant('cron');
    await writeHrCsv(path.join(settings.dataDirAbs, tenant, 'hr.csv'), 10);
    await createBulkHrConfig(api, tenant, { executionPlan: { scheduleType: 'CRON', cron: '*/3 * * * * ? *', timeZone: 'Europe/Paris' } });
    const job = `/${tenant}/api/sync/sync-tasks/bulk-import/job`;
    const runs = async () => (await api.req('GET', `/${tenant}/api/sync/sync-tasks/bulk-import/instances`)).json as Array<{ progressStatus: string }>;

    const scheduling = await api.req('GET', `${job}/~scheduling`);
    expect(scheduling.status).toBe(200);
    expect(scheduling.json).toEqual(expect.objectContaining({ scheduled: true, paused: false, scheduleType: 'CRON', cron: '*/3 * * * * ? *', timeZone: 'Europe/Paris' }));
    expect(scheduling.json.nextFireTimes.length).toBeGreaterThan(1);
    const [t1, t2] = scheduling.json.nextFireTimes.map((t: string) => Date.parse(t));
    expect(t2 - t1).toBe(3000);

    const deadline = Date.now() + 30_000;
    while ((await runs()).length < 2 && Date.now() < deadline) await sleep(500);
    expect((await runs()).length).toBeGreaterThanOrEqual(2);

    expect((await api.req('POST', `${job}/~pause`)).status).toBe(204);
    expect((await api.req('GET', `${job}/~scheduling`)).json.paused).toBe(true);
    // A firing the schedule started before the pause may still be creating its run: wait until every action the
    // schedule took has been recorded (fired or skipped), however slow the machine, then nothing may change.
    const schedule = api.ctx.temporal.schedule.getHandle(scheduleId('SYNC', tenant, 'bulk-import'));
    const taken = (await schedule.describe()).info.numActionsTaken;
    const landed = async () => {
      const s = (await api.req('GET', `${job}/~scheduling`)).json as { firedCount: number; skippedCount: number };
      return s.firedCount + s.skippedCount;
    };
    const landedDeadline = Date.now() + 30_000;
    while ((await landed()) < taken && Date.now() < landedDeadline) await sleep(250);
    expect(await landed()).toBe(taken);
    const frozen = (await runs()).length;
    await sleep(7000);
    expect((await runs()).length).toBe(frozen);
    expect((await schedule.describe()).info.numActionsTaken).toBe(taken);

    expect((await api.req('POST', `${job}/~resume`)).status).toBe(204);
    const resumedDeadline = Date.now() + 30_000;
    while ((await runs()).length <= frozen && Date.now() < resumedDeadline) await sleep(500);
    expect((await runs()).length).toBeGreaterThan(frozen);
    const after = await api.req('GET', `${job}/~scheduling`);
    expect(after.json.paused).toBe(false);
    expect(after.json.firedCount + after.json.skippedCount).toBeGreaterThanOrEqual(3);
    expect(after.json.lastRun).toEqual(expect.objectContaining({ trigger: 'SCHEDULE' }));

    // Back to MANUAL: the schedule goes away, and the job endpoints say there is no job.
    const def = (await api.req('GET', `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`)).json;
    const { executionPlan: _plan, ...manual } = def;
    expect((await api.req('PUT', `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`, manual)).status).toBe(200);
    expect((await api.req('GET', `${job}/~scheduling`)).json).toEqual(expect.objectContaining({ scheduled: false, scheduleType: 'MANUAL', nextFireTimes: [] }));
    // A MANUAL plan has no job: pausing it is answered 204 and changes nothing.
    expect((await api.req('POST', `${job}/~pause`)).status).toBe(204);
    expect((await api.req('GET', `${job}/~scheduling`)).json).toEqual(expect.objectContaining({ scheduled: false, paused: false }));
    await expect(api.ctx.temporal.schedule.getHandle(scheduleId('SYNC', tenant, 'bulk-import')).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);

    // A ONCE plan limits its job to one firing; a plan updated to INTERVAL must not keep that limit.
    const once = { scheduleType: 'ONCE', fireTime: new Date(Date.now() + 3_600_000).toISOString() };
    expect((await api.req('PUT', `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`, { ...manual, version: def.version + 1, executionPlan: once })).status).toBe(200);
    const handle = api.ctx.temporal.schedule.getHandle(scheduleId('SYNC', tenant, 'bulk-import'));
    expect((await handle.describe()).state.remainingActions).toBe(1);
    expect((await api.req('PUT', `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`, { ...manual, version: def.version + 2, executionPlan: { scheduleType: 'INTERVAL', interval: 5, intervalUnit: 'MINUTES' } })).status).toBe(200);
    const interval = await handle.describe();
    expect(interval.state.remainingActions).toBeUndefined();
    expect(interval.info.nextActionTimes.length).toBeGreaterThan(1);

    // Deleting a scheduled definition deletes its schedule too, once the last run it fired has ended (before: 409).
    await api.ctx.temporal.workflow.getHandle(`sync/${tenant}/bulk-import`).result().catch(() => undefined);
    expect((await api.req('DELETE', `/${tenant}/api/sync/conf/sync-task-definitions/bulk-import`)).status).toBe(204);
    await expect(api.ctx.temporal.schedule.getHandle(scheduleId('SYNC', tenant, 'bulk-import')).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await api.req('GET', `${job}/~scheduling`)).status).toBe(404);
    expect((await api.req('POST', `${job}/~resume`)).status).toBe(404);
  }, 180_000);
});
