import { z } from 'zod';
import { csvPropertiesSchema, ldapPropertiesSchema, retryPolicySchema } from '../connector-properties';
import { nonEmpty, resourceIdSchema, resourceMetaShape } from './common';

/**
 * SPEC.md §3.1. connectorType selects the connectorProperties schema. The key order is the order of the XML
 * dataset's elements.
 */
function connectorDefinition<T extends 'CSV' | 'LDAP', P extends z.ZodType>(connectorType: T, connectorProperties: P) {
  return z.strictObject({
    id: resourceIdSchema,
    name: nonEmpty,
    description: z.string().optional(),
    connectorType: z.literal(connectorType),
    connectorProperties,
    retryPolicy: retryPolicySchema.optional(),
    ...resourceMetaShape,
  });
}

export const csvConnectorDefinitionSchema = connectorDefinition('CSV', csvPropertiesSchema);
export const ldapConnectorDefinitionSchema = connectorDefinition('LDAP', ldapPropertiesSchema);

export const connectorDefinitionSchema = z.discriminatedUnion('connectorType', [csvConnectorDefinitionSchema, ldapConnectorDefinitionSchema]);

/**
 * What every connector definition has, whatever its type. A body whose connectorType matches no option fails the
 * union on that one property; this shape still checks the others, so the user learns every problem at once.
 */
export const connectorDefinitionEnvelopeSchema = connectorDefinition('CSV', z.record(z.string(), z.unknown())).extend({
  connectorType: z.unknown(),
});

export type CsvConnectorDefinition = z.infer<typeof csvConnectorDefinitionSchema>;
export type LdapConnectorDefinition = z.infer<typeof ldapConnectorDefinitionSchema>;
export type ConnectorDefinition = z.infer<typeof connectorDefinitionSchema>;
