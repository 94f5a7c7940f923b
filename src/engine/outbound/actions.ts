/**
 * What a provisioning run reports in `statistics.actions` (SPEC.md §6), counted per IDM object and target
 * application:
 * - ACCOUNT_CREATED: the account did not exist and was created;
 * - ACCOUNT_ADOPTED: a create found its name (DN) taken by an entry nobody else owns — typically one this service
 *   created before its answer was lost — and linked it instead;
 * - ACCOUNT_UPDATED: attributes that differed from the record were written (only those);
 * - ACCOUNT_RENAMED: `__NAME__` changed, the entry was renamed (memberships follow it);
 * - ACCOUNT_ENABLED / ACCOUNT_DISABLED: an inactivated account needed again / INACTIVATE_ACCOUNT deprovisioning;
 * - ACCOUNT_DELETED: REMOVE_ACCOUNT deprovisioning (an entry already gone counts as deleted);
 * - MEMBERSHIP_ADDED / MEMBERSHIP_REMOVED: one per entitlement;
 * - UNCHANGED: nothing to write for that object on that application;
 * - DIRECTORY_WRITES: not an outcome but a measurement: write requests the counting connector decorator saw
 *   (every attempt), so "unchanged means zero writes" is checked at the connector boundary.
 */
export const OutboundAction = {
  ACCOUNT_CREATED: 'ACCOUNT_CREATED',
  ACCOUNT_ADOPTED: 'ACCOUNT_ADOPTED',
  ACCOUNT_UPDATED: 'ACCOUNT_UPDATED',
  ACCOUNT_RENAMED: 'ACCOUNT_RENAMED',
  ACCOUNT_ENABLED: 'ACCOUNT_ENABLED',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  ACCOUNT_DELETED: 'ACCOUNT_DELETED',
  MEMBERSHIP_ADDED: 'MEMBERSHIP_ADDED',
  MEMBERSHIP_REMOVED: 'MEMBERSHIP_REMOVED',
  UNCHANGED: 'UNCHANGED',
} as const;
export type OutboundAction = (typeof OutboundAction)[keyof typeof OutboundAction];

export const DIRECTORY_WRITES = 'DIRECTORY_WRITES';
