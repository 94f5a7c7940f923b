import { z } from 'zod';

/**
 * The closed vocabularies of the configuration (SPEC.md §1, §3, §5). Each is a zod enum (used by the schemas and
 * by the XML codec to type text nodes), a const object of its values (`SyncAction.NO_OP`) and a TS union type.
 */

export const syncActionSchema = z.enum([
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
]);
export const SyncAction = syncActionSchema.enum;
export type SyncAction = z.infer<typeof syncActionSchema>;

export const situationSchema = z.enum(['LINKED', 'UNLINKED', 'DELETED', 'UNMATCHED', 'DISPUTED', 'COLLISION']);
export const Situation = situationSchema.enum;
export type Situation = z.infer<typeof situationSchema>;

/** Kinds of shadows (the seed's table): each but ENTITLEMENT corresponds to the IDM kind of the same name. */
export const shadowKindSchema = z.enum(['ACCOUNT', 'ORGANIZATION', 'RESOURCE', 'ROLE', 'ROLE_PUBLICATION', 'ENTITLEMENT']);
export const ShadowKind = shadowKindSchema.enum;
export type ShadowKind = z.infer<typeof shadowKindSchema>;

export const idmKindSchema = z.enum(['IDENTITY', 'ORGANIZATION', 'RESOURCE', 'ROLE', 'ROLE_PUBLICATION']);
export const IdmKind = idmKindSchema.enum;
export type IdmKind = z.infer<typeof idmKindSchema>;

/** The IDM kind an account of a shadow kind becomes (null: entitlements are never IDM objects). */
export const IDM_KIND_OF_SHADOW_KIND: Readonly<Record<ShadowKind, IdmKind | null>> = {
  ACCOUNT: 'IDENTITY',
  ORGANIZATION: 'ORGANIZATION',
  RESOURCE: 'RESOURCE',
  ROLE: 'ROLE',
  ROLE_PUBLICATION: 'ROLE_PUBLICATION',
  ENTITLEMENT: null,
};

/** Synchronization task types (SPEC.md §3.3). */
export const syncTaskTypeSchema = z.enum(['RECONCILIATION', 'IMPORT']);
export type SyncTaskType = z.infer<typeof syncTaskTypeSchema>;

/** Every task type a run can have (sync task types plus provisioning), as reported in task progress. */
export const taskTypeSchema = z.enum(['RECONCILIATION', 'IMPORT', 'PROVISIONING']);
export const TaskType = taskTypeSchema.enum;
export type TaskType = z.infer<typeof taskTypeSchema>;

export const scheduleTypeSchema = z.enum(['MANUAL', 'ONCE', 'CRON', 'INTERVAL']);
export const ScheduleType = scheduleTypeSchema.enum;
export type ScheduleType = z.infer<typeof scheduleTypeSchema>;

export const intervalUnitSchema = z.enum(['MINUTES', 'HOURS', 'DAYS']);
export type IntervalUnit = z.infer<typeof intervalUnitSchema>;

export const connectorTypeSchema = z.enum(['CSV', 'LDAP']);
export type ConnectorType = z.infer<typeof connectorTypeSchema>;

export const deprovisioningActionSchema = z.enum(['REMOVE_ACCOUNT', 'INACTIVATE_ACCOUNT']);
export type DeprovisioningAction = z.infer<typeof deprovisioningActionSchema>;

/** Columns of a task run's error report (SPEC.md §3.4). */
export const errorReportColumnSchema = z.enum([
  'SHADOW_OBJECT_ID',
  'SHADOW_KIND',
  'SHADOW_ID',
  'SHADOW_OBJECT_CLASS',
  'IDM_OBJECT_ID',
  'IDM_OBJECT_KIND',
  'ERROR_ID',
  'ERROR_LABEL',
  'ERROR_DESCRIPTION',
]);
export type ErrorReportColumn = z.infer<typeof errorReportColumnSchema>;

/** SPEC.md §5: the situations in which each action may be configured. */
export const ACTION_SITUATIONS: Readonly<Record<SyncAction, readonly Situation[]>> = {
  SYNCHRONIZE_IDM_OBJECT: ['LINKED', 'UNLINKED'],
  ADD_IDM_OBJECT: ['UNMATCHED'],
  REMOVE_IDM_OBJECT: ['DELETED', 'LINKED'],
  INACTIVATE_IDM_OBJECT: ['DELETED', 'LINKED'],
  SOFT_DELETE_IDM_OBJECT: ['DELETED', 'LINKED'],
  ADD_ACCOUNT: ['DELETED'],
  REMOVE_ACCOUNT: ['UNMATCHED', 'UNLINKED', 'DISPUTED'],
  INACTIVATE_ACCOUNT: ['UNMATCHED', 'UNLINKED', 'DISPUTED'],
  LINK: ['UNLINKED'],
  UNLINK: ['LINKED', 'DELETED'],
  NO_OP: situationSchema.options,
  PATCH: ['LINKED', 'UNLINKED', 'DELETED'],
};

/**
 * SPEC.md §5: in UNLINKED, SYNCHRONIZE_IDM_OBJECT applies to the owner "after LINK", so a LINK must come before it in
 * the list (actions run in list order); without it the candidate would be written to and stay unlinked.
 */
export function actionOrderProblem(situation: Situation, actions: readonly SyncAction[], index: number): string | null {
  if (situation === 'UNLINKED' && actions[index] === 'SYNCHRONIZE_IDM_OBJECT' && !actions.slice(0, index).includes('LINK'))
    return 'in UNLINKED, SYNCHRONIZE_IDM_OBJECT works on the owner: put LINK before it';
  return null;
}

/** The object class id of every CSV account (the seed's convention). */
export const CSV_OBJECT_CLASS_ID = '__ACCOUNT__';
