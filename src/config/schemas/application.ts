import { z } from 'zod';
import { shadowKindSchema, situationSchema, syncActionSchema } from '../enums';
import { computeRuleSchema, nonEmpty, resourceIdSchema, resourceMetaShape } from './common';
import { accountObjectMatchingConditionSchema, matchingStrategySchema } from './matching';

/** SPEC.md §3.2. Mutual exclusions and uniqueness are checked by validate-application.ts (all problems together). */

export const assignmentRuleSchema = z.strictObject({ objectTypeId: nonEmpty, condition: matchingStrategySchema });
export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;

export const objectTypeResolutionDefinitionSchema = z.strictObject({
  defaultObjectTypeId: nonEmpty,
  assignmentRules: z.array(assignmentRuleSchema).optional(),
  customAssignmentRule: computeRuleSchema.optional(),
});
export type ObjectTypeResolutionDefinition = z.infer<typeof objectTypeResolutionDefinitionSchema>;

export const attributeCorrelationDefinitionSchema = z.strictObject({
  inputAttributeId: nonEmpty,
  idmAttributeId: nonEmpty,
  normalizeRule: computeRuleSchema.optional(),
});
export type AttributeCorrelationDefinition = z.infer<typeof attributeCorrelationDefinitionSchema>;

export const simpleCorrelationStrategyDefinitionSchema = z.strictObject({
  attributeCorrelationDefinitions: z.array(attributeCorrelationDefinitionSchema).min(1, 'at least one attribute correlation definition is required'),
});
export const customCorrelationStrategyDefinitionSchema = z.strictObject({ computeRule: computeRuleSchema });

export const correlationDefinitionSchema = z.strictObject({
  simpleCorrelationStrategyDefinition: simpleCorrelationStrategyDefinitionSchema.optional(),
  customCorrelationStrategyDefinition: customCorrelationStrategyDefinitionSchema.optional(),
});
export type CorrelationDefinition = z.infer<typeof correlationDefinitionSchema>;

export const reactionDefinitionSchema = z.strictObject({
  name: z.string().optional(),
  situation: situationSchema,
  actions: z.array(syncActionSchema),
});
export type ReactionDefinition = z.infer<typeof reactionDefinitionSchema>;

export const decisionRuleSchema = z.strictObject({
  actions: z.array(syncActionSchema),
  objectMatchingCondition: accountObjectMatchingConditionSchema,
});
export type DecisionRule = z.infer<typeof decisionRuleSchema>;

export const synchronizationActionDecisionDefinitionSchema = z.strictObject({
  decisionRules: z.array(decisionRuleSchema).optional(),
  customDecisionRule: computeRuleSchema.optional(),
  defaultActions: z.array(syncActionSchema).optional(),
});
export type SynchronizationActionDecisionDefinition = z.infer<typeof synchronizationActionDecisionDefinitionSchema>;

/** null (or absent) objectType = the default sub-configuration. */
const objectTypeSchema = nonEmpty.nullable().optional();

export const objectSynchronizationDefinitionSchema = z.strictObject({
  name: z.string().optional(),
  objectType: objectTypeSchema,
  objectClassId: nonEmpty,
  shadowKind: shadowKindSchema,
  enabled: z.boolean().optional(),
  correlationDefinition: correlationDefinitionSchema,
  reactionDefinitions: z.array(reactionDefinitionSchema).optional(),
  synchronizationActionDecisionDefinition: synchronizationActionDecisionDefinitionSchema.optional(),
  customAction: computeRuleSchema.optional(),
});
export type ObjectSynchronizationDefinition = z.infer<typeof objectSynchronizationDefinitionSchema>;

export const synchronizationDefinitionSchema = z.strictObject({
  objectTypeResolutionDefinition: objectTypeResolutionDefinitionSchema,
  objectTypeMigrationAllowed: z.boolean().optional(),
  objectSynchronizationDefinitions: z.array(objectSynchronizationDefinitionSchema).min(1, 'at least one object synchronization definition is required'),
});
export type SynchronizationDefinition = z.infer<typeof synchronizationDefinitionSchema>;

export const inboundAttributeMappingSchema = z.strictObject({
  idmAttributeId: nonEmpty,
  simple: z.strictObject({ applicationAttributeId: nonEmpty, computeRule: computeRuleSchema.optional() }).optional(),
  custom: z.strictObject({ computeRule: computeRuleSchema }).optional(),
});
export type InboundAttributeMapping = z.infer<typeof inboundAttributeMappingSchema>;

export const outboundAttributeMappingSchema = z.strictObject({
  applicationAttributeId: nonEmpty,
  simple: z.strictObject({ idmAttributeId: nonEmpty, computeRule: computeRuleSchema.optional() }).optional(),
  custom: z.strictObject({ computeRule: computeRuleSchema }).optional(),
});
export type OutboundAttributeMapping = z.infer<typeof outboundAttributeMappingSchema>;

export const objectSchemaMappingDefinitionSchema = z.strictObject({
  objectType: objectTypeSchema,
  objectClassId: nonEmpty,
  shadowKind: shadowKindSchema,
  inboundAttributeMappings: z.array(inboundAttributeMappingSchema).optional(),
  outboundAttributeMappings: z.array(outboundAttributeMappingSchema).optional(),
});
export type ObjectSchemaMappingDefinition = z.infer<typeof objectSchemaMappingDefinitionSchema>;

export const schemaMappingDefinitionSchema = z.strictObject({
  objectSchemaMappingDefinitions: z.array(objectSchemaMappingDefinitionSchema).min(1, 'at least one object schema mapping definition is required'),
});
export type SchemaMappingDefinition = z.infer<typeof schemaMappingDefinitionSchema>;

export const applicationSchema = z.strictObject({
  id: resourceIdSchema,
  name: nonEmpty,
  description: z.string().optional(),
  citadelApplicationId: z.string().optional(),
  connectorId: resourceIdSchema,
  synchronizationDefinition: synchronizationDefinitionSchema.optional(),
  schemaMappingDefinition: schemaMappingDefinitionSchema,
  ...resourceMetaShape,
});
export type Application = z.infer<typeof applicationSchema>;
