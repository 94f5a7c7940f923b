import { z } from 'zod';
import { syncTaskTypeSchema } from '../enums';
import { executionPlanSchema, nonEmpty, resourceIdSchema, resourceMetaShape } from './common';

/** SPEC.md §3.3. */
export const synchronizationTaskDefinitionSchema = z.strictObject({
  id: resourceIdSchema,
  name: nonEmpty,
  description: z.string().optional(),
  taskType: syncTaskTypeSchema,
  applicationId: resourceIdSchema,
  objectClassId: nonEmpty,
  synchronizationTaskPostProcessingId: resourceIdSchema.optional(),
  executionPlan: executionPlanSchema.optional(),
  ...resourceMetaShape,
});
export type SynchronizationTaskDefinition = z.infer<typeof synchronizationTaskDefinitionSchema>;

/**
 * A search expression (SPEC.md §8). Its grammar is checked by store/search-expression.ts; here it is any JSON
 * object (a record, which the XML codec writes as JSON text).
 */
export const searchExpressionSchema = z.record(z.string(), z.unknown());
export type SearchExpression = z.infer<typeof searchExpressionSchema>;

/** "attribute,ASC|DESC" */
export const SORT_EXPRESSION_RE = /^[A-Za-z_][A-Za-z0-9_.-]*,(ASC|DESC)$/;

/** SPEC.md §3.6. */
export const provisioningTaskDefinitionSchema = z.strictObject({
  id: resourceIdSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  scope: searchExpressionSchema,
  sortExpression: z.string().regex(SORT_EXPRESSION_RE, 'must be "<attribute>,ASC" or "<attribute>,DESC"').optional(),
  applicationIds: z.array(resourceIdSchema).optional(),
  provisioningTaskPostProcessingId: resourceIdSchema.optional(),
  executionPlan: executionPlanSchema.optional(),
  ...resourceMetaShape,
});
export type ProvisioningTaskDefinition = z.infer<typeof provisioningTaskDefinitionSchema>;
