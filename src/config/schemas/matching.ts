import { z } from 'zod';
import { idmKindSchema, shadowKindSchema } from '../enums';
import { computeRuleSchema, nonEmpty } from './common';

/** `{ inputAttributeId, regex }`: matches when any value of the attribute matches the regex. */
export const simpleMatchingSchema = z.strictObject({ inputAttributeId: nonEmpty, regex: nonEmpty });
export type SimpleMatching = z.infer<typeof simpleMatchingSchema>;

/** SPEC.md §3.2 MatchingStrategy (object type assignment rules): exactly one of simple / custom. */
export const matchingStrategySchema = z.strictObject({
  simple: simpleMatchingSchema.optional(),
  custom: computeRuleSchema.optional(),
});
export type MatchingStrategy = z.infer<typeof matchingStrategySchema>;

/**
 * SPEC.md §3.5 ObjectMatchingCondition. objectKind is an IDM kind in an application profile and a shadow kind in a
 * decision rule, hence the factory.
 */
function objectMatchingCondition<K extends z.ZodEnum>(kind: K) {
  return z.strictObject({
    objectKind: kind,
    objectTypes: z.array(nonEmpty).optional(),
    simpleObjectMatchingStrategyDefinition: simpleMatchingSchema.optional(),
    customObjectMatchingStrategyDefinition: z.strictObject({ computeRule: computeRuleSchema }).optional(),
  });
}

export const idmObjectMatchingConditionSchema = objectMatchingCondition(idmKindSchema);
export const accountObjectMatchingConditionSchema = objectMatchingCondition(shadowKindSchema);
export type IdmObjectMatchingCondition = z.infer<typeof idmObjectMatchingConditionSchema>;
export type AccountObjectMatchingCondition = z.infer<typeof accountObjectMatchingConditionSchema>;
export type ObjectMatchingCondition = IdmObjectMatchingCondition | AccountObjectMatchingCondition;
