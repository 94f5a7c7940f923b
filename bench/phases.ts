import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/** Time spent in one activity type during a run: how many ran, and their seconds from scheduled to closed. */
export interface ActivityTime {
  count: number;
  seconds: number;
}

/**
 * Where a run's wall time went, read from its Temporal history: per activity type, and what is left between them
 * (workflow tasks, scheduling, the gap between one activity's end and the next one's start).
 */
export interface RunPhases {
  activities: Record<string, ActivityTime>;
  /** the run's wall time, from its first workflow execution's start to its last one's close */
  wallSeconds: number;
  /** wall time outside any activity: the orchestration cost of the run */
  betweenActivitiesSeconds: number;
  /** workflow executions of the run (continue-as-new splits a long run) */
  executions: number;
}

const seconds = (t: temporal.api.history.v1.IHistoryEvent['eventTime']): number => Number(t?.seconds ?? 0) + (t?.nanos ?? 0) / 1e9;

/** Sums one execution's activities by type; `spans` collects each activity's [start, end] for the overall gaps. */
function addExecution(events: temporal.api.history.v1.IHistoryEvent[], into: Record<string, ActivityTime>, spans: Array<[number, number]>): [number, number] {
  const scheduled = new Map<string, { type: string; at: number }>();
  for (const e of events) {
    const at = seconds(e.eventTime);
    if (e.activityTaskScheduledEventAttributes) {
      scheduled.set(String(e.eventId), { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at });
      continue;
    }
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    const s = closed ? scheduled.get(String(closed.scheduledEventId)) : undefined;
    if (!s) continue;
    const t = (into[s.type] ??= { count: 0, seconds: 0 });
    t.count++;
    t.seconds += at - s.at;
    spans.push([s.at, at]);
  }
  return [seconds(events[0]?.eventTime), seconds(events[events.length - 1]?.eventTime)];
}

/**
 * The phases of the run of `workflowId` started at or after `sinceMs`: every execution of it (a long run continues
 * as new), each history fetched whole. For the bench only: a million-account run's histories hold a few tens of
 * thousands of events.
 */
export async function runPhases(address: string, namespace: string, workflowId: string, sinceMs: number): Promise<RunPhases> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const since = new Date(sinceMs - 1000).toISOString();
    const runIds: string[] = [];
    for await (const w of client.workflow.list({ query: `WorkflowId = "${workflowId}" AND StartTime >= "${since}"` })) runIds.push(w.runId);
    const activities: Record<string, ActivityTime> = {};
    const spans: Array<[number, number]> = [];
    let first = Infinity;
    let last = 0;
    for (const runId of runIds) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const [start, end] = addExecution(history.events ?? [], activities, spans);
      first = Math.min(first, start);
      last = Math.max(last, end);
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    for (const t of Object.values(activities)) t.seconds = round(t.seconds);
    const wall = runIds.length ? last - first : 0;
    return { activities, wallSeconds: round(wall), betweenActivitiesSeconds: round(wall - covered(spans)), executions: runIds.length };
  } finally {
    await connection.close();
  }
}

/** Length of the union of intervals (activities of one run do not overlap today, but a run may one day run several at once). */
export function covered(spans: Array<[number, number]>): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}
