import { z } from 'zod';
import { errorReportColumnSchema } from '../enums';
import { nonEmpty, resourceIdSchema, resourceMetaShape } from './common';

/** SPEC.md §3.4 / §3.7: what a run publishes when it ends. */
export const reportDefinitionSchema = z.strictObject({
  errorPublicationDefinition: z.strictObject({ errorDetails: z.array(errorReportColumnSchema) }).optional(),
  reportPublicationDefinition: z.strictObject({ enabled: z.boolean() }).optional(),
});
export type ReportDefinition = z.infer<typeof reportDefinitionSchema>;

/** archiveDirectory is relative to the tenant data directory (confinement checked by the cross-field validation). */
export const fileArchivingDefinitionSchema = z.strictObject({ archiveDirectory: nonEmpty });
export type FileArchivingDefinition = z.infer<typeof fileArchivingDefinitionSchema>;

export const synchronizationTaskPostProcessingDefinitionSchema = z.strictObject({
  id: resourceIdSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  reportDefinition: reportDefinitionSchema.optional(),
  fileArchivingDefinition: fileArchivingDefinitionSchema.optional(),
  overwriteExistingArchive: z.boolean().optional(),
  ...resourceMetaShape,
});
export type SynchronizationTaskPostProcessingDefinition = z.infer<typeof synchronizationTaskPostProcessingDefinitionSchema>;

export const provisioningTaskPostProcessingDefinitionSchema = z.strictObject({
  id: resourceIdSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  reportDefinition: reportDefinitionSchema.optional(),
  ...resourceMetaShape,
});
export type ProvisioningTaskPostProcessingDefinition = z.infer<typeof provisioningTaskPostProcessingDefinitionSchema>;
