import { z } from 'zod';
import { csvPropertiesSchema, ldapPropertiesSchema, retryPolicySchema } from '../connector-properties';
import { nonEmpty, resourceIdSchema, resourceMetaShape } from './common';

/** SPEC.md §3.1. connectorType selects the connectorProperties schema. */
const base = {
  id: resourceIdSchema,
  name: nonEmpty,
  description: z.string().optional(),
  retryPolicy: retryPolicySchema.optional(),
  ...resourceMetaShape,
};

export const csvConnectorDefinitionSchema = z.strictObject({
  ...base,
  connectorType: z.literal('CSV'),
  connectorProperties: csvPropertiesSchema,
});

export const ldapConnectorDefinitionSchema = z.strictObject({
  ...base,
  connectorType: z.literal('LDAP'),
  connectorProperties: ldapPropertiesSchema,
});

export const connectorDefinitionSchema = z.discriminatedUnion('connectorType', [csvConnectorDefinitionSchema, ldapConnectorDefinitionSchema]);

export type CsvConnectorDefinition = z.infer<typeof csvConnectorDefinitionSchema>;
export type LdapConnectorDefinition = z.infer<typeof ldapConnectorDefinitionSchema>;
export type ConnectorDefinition = z.infer<typeof connectorDefinitionSchema>;
