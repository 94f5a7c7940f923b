import { z } from 'zod';
import { intervalUnitSchema, scheduleTypeSchema } from '../enums';

/** SPEC.md §2: resource ids. */
export const RESOURCE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const resourceIdSchema = z.string().regex(RESOURCE_ID_RE, 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$');

export const nonEmpty = z.string().min(1, 'must not be empty');

/** SPEC.md §3.9: a compute rule is a JavaScript function body. Its syntax is checked by the cross-field validation. */
export const computeRuleSchema = z.strictObject({ script: z.string().min(1, 'script must not be empty') });
export type ComputeRule = z.infer<typeof computeRuleSchema>;

/**
 * Read-only properties every stored resource carries (SPEC.md §3). A body may send them back as read:
 * createdAt/updatedAt are ignored, a different version is a 409.
 */
export const resourceMetaShape = {
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  version: z.number().int().min(1).optional(),
};

/** SPEC.md §3.8. Which fields go with which scheduleType is checked by the cross-field validation. */
export const executionPlanSchema = z.strictObject({
  scheduleType: scheduleTypeSchema,
  fireTime: z.string().optional(),
  cron: z.string().optional(),
  interval: z.number().int().positive().optional(),
  intervalUnit: intervalUnitSchema.optional(),
  timeZone: z.string().min(1).optional(),
});
export type ExecutionPlan = z.infer<typeof executionPlanSchema>;
