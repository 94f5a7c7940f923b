import { syncActionSchema } from '../config/enums';

/** The SyncAction names of SPEC.md §5; in scripts each constant's value is its own name. */
export const SYNC_ACTIONS = syncActionSchema.options;

export type SyncActionName = (typeof SYNC_ACTIONS)[number];

const NAMES: ReadonlySet<string> = new Set(SYNC_ACTIONS);

export function isSyncAction(value: unknown): value is SyncActionName {
  return typeof value === 'string' && NAMES.has(value);
}
