import { Context } from '@temporalio/activity';

/** Often enough for the shortest heartbeat timeout of a run activity (20 s), rarely enough to cost nothing. */
export const KEEP_ALIVE_MS = 5_000;

/**
 * Heartbeats on a timer while `work` runs. Some single operations of a large run take longer than the heartbeat
 * timeout without a natural point to heartbeat from: counting the rows of a million-row file, a store scan that
 * finds no deleted account for minutes, a sort the store finishes before returning its first document. Without
 * this, Temporal would take a live worker for dead and retry the activity until it gave up. A dead worker still
 * stops heartbeating (that is what the timeout detects), and startToCloseTimeout still bounds a stuck operation.
 */
export async function heartbeating<T>(work: () => Promise<T>, everyMs = KEEP_ALIVE_MS): Promise<T> {
  const ctx = Context.current();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
