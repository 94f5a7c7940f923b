/** The SyncAction names of SPEC.md §5; in scripts each constant's value is its own name. */
export const SYNC_ACTIONS = [
  'SYNCHRONIZE_IDM_OBJECT',
  'ADD_IDM_OBJECT',
  'REMOVE_IDM_OBJECT',
  'INACTIVATE_IDM_OBJECT',
  'SOFT_DELETE_IDM_OBJECT',
  'ADD_ACCOUNT',
  'REMOVE_ACCOUNT',
  'INACTIVATE_ACCOUNT',
  'LINK',
  'UNLINK',
  'NO_OP',
  'PATCH',
] as const;

export type SyncActionName = (typeof SYNC_ACTIONS)[number];

const NAMES: ReadonlySet<string> = new Set(SYNC_ACTIONS);

export function isSyncAction(value: unknown): value is SyncActionName {
  return typeof value === 'string' && NAMES.has(value);
}
