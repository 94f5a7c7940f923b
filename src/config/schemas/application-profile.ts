import { z } from 'zod';
import { deprovisioningActionSchema, shadowKindSchema } from '../enums';
import { nonEmpty, resourceIdSchema, resourceMetaShape } from './common';
import { idmObjectMatchingConditionSchema } from './matching';

/** SPEC.md §3.5: which IDM objects need an account on the application, and which groups it must be in. */
export const assignmentSchema = z.strictObject({ entitlementId: nonEmpty });
export type Assignment = z.infer<typeof assignmentSchema>;

export const applicationProfileSchema = z.strictObject({
  id: resourceIdSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  applicationId: resourceIdSchema,
  enabled: z.boolean().optional(),
  shadowKind: shadowKindSchema,
  objectMatchingCondition: idmObjectMatchingConditionSchema,
  assignments: z.array(assignmentSchema).optional(),
  deprovisioningAction: deprovisioningActionSchema.optional(),
  ...resourceMetaShape,
});
export type ApplicationProfile = z.infer<typeof applicationProfileSchema>;
