import { ScheduleNotFoundError, type Client, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import type { ExecutionPlan } from '../config/schemas';
import { parseQuartzCron, toCalendarSpec } from '../config/quartz-cron';
import { AppError } from '../errors';
import type { RunKind } from '../store/task-runs';
import { scheduleId } from './ids';

const UNIT_MS = { MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 } as const;

/** Local wall-clock parts of an instant in a time zone (ONCE plans give an ISO date; the schedule fires on the calendar). */
function wallClock(iso: string, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(iso));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

/** An execution plan as a Temporal ScheduleSpec (SPEC.md §3.8); MANUAL has none. */
export function scheduleSpecOf(plan: ExecutionPlan | undefined): { spec: ScheduleSpec; once: boolean } | null {
  if (!plan || plan.scheduleType === 'MANUAL') return null;
  const timezone = plan.timeZone ?? 'UTC';
  switch (plan.scheduleType) {
    case 'CRON': {
      const parsed = parseQuartzCron(plan.cron ?? '');
      if (!parsed.ok) throw new AppError('VALIDATION_ERROR', `Invalid cron: ${parsed.reason}`, { path: 'executionPlan.cron', reason: parsed.reason });
      return { spec: { calendars: [toCalendarSpec(parsed.cron, plan.cron)], timezone }, once: false };
    }
    case 'INTERVAL':
      return { spec: { intervals: [{ every: plan.interval! * UNIT_MS[plan.intervalUnit!] }], timezone }, once: false };
    case 'ONCE': {
      const w = wallClock(plan.fireTime!, timezone);
      return {
        spec: { calendars: [{ year: w.year, month: MONTHS[w.month - 1]!, dayOfMonth: w.day, hour: w.hour, minute: w.minute, second: w.second }], timezone },
        once: true,
      };
    }
  }
}

/**
 * Keeps a task definition's Temporal Schedule in step with its execution plan: created, updated, or deleted when the
 * plan becomes MANUAL or the definition is deleted. A firing starts `scheduledLaunchWorkflow`, which starts the run
 * under the definition's fixed workflow id.
 */
export async function syncSchedule(
  client: Client,
  taskQueue: string,
  kind: RunKind,
  tenant: string,
  taskDefinitionId: string,
  plan: ExecutionPlan | undefined | null,
): Promise<void> {
  const id = scheduleId(kind, tenant, taskDefinitionId);
  const wanted = plan ? scheduleSpecOf(plan) : null;
  const handle = client.schedule.getHandle(id);
  if (!wanted) {
    await handle.delete().catch((e: unknown) => {
      if (!(e instanceof ScheduleNotFoundError)) throw e;
    });
    return;
  }
  const options: ScheduleOptions = {
    scheduleId: id,
    spec: wanted.spec,
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledLaunchWorkflow',
      taskQueue,
      args: [{ tenant, kind, taskDefinitionId }],
      workflowId: `launch/${kind === 'SYNC' ? 'sync' : 'prov'}/${tenant}/${taskDefinitionId}`,
    },
    policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
    state: wanted.once ? { remainingActions: 1 } : {},
  };
  try {
    // update() describes the schedule first, so a missing one surfaces as ScheduleNotFoundError.
    // remainingActions is set either way: a former ONCE plan's limit (1, or 0 once fired) must not outlive it.
    await handle.update((prev) => ({ ...prev, spec: wanted.spec, action: options.action, state: { ...prev.state, remainingActions: wanted.once ? 1 : undefined } }));
  } catch (e) {
    if (!(e instanceof ScheduleNotFoundError)) throw e;
    await client.schedule.create(options);
  }
}

export interface JobScheduling {
  taskDefinitionId: string;
  scheduled: boolean;
  scheduleType: string;
  paused: boolean;
  nextFireTimes: string[];
  lastFireTime: string | null;
  timeZone: string | null;
  cron?: string;
  interval?: number;
  intervalUnit?: string;
  fireTime?: string;
  scheduleId: string | null;
}

export async function describeSchedule(client: Client, kind: RunKind, tenant: string, taskDefinitionId: string, plan: ExecutionPlan | undefined): Promise<JobScheduling> {
  const base = {
    taskDefinitionId,
    scheduleType: plan?.scheduleType ?? 'MANUAL',
    timeZone: plan && plan.scheduleType !== 'MANUAL' ? (plan.timeZone ?? 'UTC') : null,
    ...(plan?.cron ? { cron: plan.cron } : {}),
    ...(plan?.interval ? { interval: plan.interval, intervalUnit: plan.intervalUnit } : {}),
    ...(plan?.fireTime ? { fireTime: plan.fireTime } : {}),
  };
  if (!plan || plan.scheduleType === 'MANUAL') return { ...base, scheduled: false, paused: false, nextFireTimes: [], lastFireTime: null, scheduleId: null };
  const id = scheduleId(kind, tenant, taskDefinitionId);
  try {
    const d = await client.schedule.getHandle(id).describe();
    const last = d.info.recentActions.at(-1);
    return {
      ...base,
      scheduled: true,
      paused: d.state.paused,
      nextFireTimes: d.info.nextActionTimes.slice(0, 5).map((t) => t.toISOString()),
      lastFireTime: last ? last.takenAt.toISOString() : null,
      scheduleId: id,
    };
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return { ...base, scheduled: false, paused: false, nextFireTimes: [], lastFireTime: null, scheduleId: null };
    throw e;
  }
}

export async function setSchedulePaused(client: Client, kind: RunKind, tenant: string, taskDefinitionId: string, paused: boolean): Promise<void> {
  const handle = client.schedule.getHandle(scheduleId(kind, tenant, taskDefinitionId));
  try {
    if (paused) await handle.pause('paused through the REST API');
    else await handle.unpause('resumed through the REST API');
  } catch (e) {
    // A MANUAL plan has no job: pausing or resuming it changes nothing, and the seed's only answers are 204 and 404.
    if (!(e instanceof ScheduleNotFoundError)) throw e;
  }
}
