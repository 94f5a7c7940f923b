import { z } from 'zod';

/** CSV connectorProperties (SPEC.md §3.1). filePath is relative to `<DATA_DIR>/<tenant>/`. */
export const csvPropertiesSchema = z
  .strictObject({
    filePath: z.string().min(1, 'filePath is required'),
    uidAttribute: z.string().min(1),
    nameAttribute: z.string().min(1).optional(),
    delimiter: z.string().length(1, 'delimiter must be exactly one character').default(','),
    quote: z.string().length(1, 'quote must be exactly one character').default('"'),
    escape: z.string().length(1, 'escape must be exactly one character').default('"'),
    encoding: z.enum(['utf-8', 'latin1']).default('utf-8'),
    header: z.boolean().default(true),
    columns: z.array(z.string().min(1)).min(1).optional(),
    multiValuedAttributes: z.array(z.string().min(1)).default([]),
    multiValueDelimiter: z.string().min(1).default('|'),
    trim: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    if (!p.header && !p.columns) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'columns is required when header is false' });
    if (p.columns && new Set(p.columns).size !== p.columns.length)
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'column names must be unique' });
  });

export type CsvProperties = z.infer<typeof csvPropertiesSchema>;

const disableStrategySchema = z.strictObject({
  attribute: z.string().min(1),
  disabledValue: z.string(),
  enabledValue: z.string(),
});

/** LDAP connectorProperties (SPEC.md §3.1). bindPassword is a secret (masked on read). */
export const ldapPropertiesSchema = z.strictObject({
  url: z.string().regex(/^ldaps?:\/\/[^\s/]+(:\d+)?\/?$/, 'url must be ldap://host[:port] or ldaps://host[:port]'),
  bindDn: z.string().min(1).optional(),
  bindPassword: z.string().optional(),
  baseDn: z.string().min(1, 'baseDn is required'),
  uidAttribute: z.string().min(1).default('entryUUID'),
  pageSize: z.number().int().min(1).max(10_000).default(500),
  searchFilter: z.string().min(1).optional(),
  groupBaseDn: z.string().min(1).optional(),
  groupObjectClass: z.string().min(1).default('groupOfNames'),
  groupMemberAttribute: z.string().min(1).default('member'),
  startTls: z.boolean().default(false),
  connectTimeoutMs: z.number().int().min(1).max(600_000).default(5000),
  operationTimeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
  disableStrategy: disableStrategySchema.optional(),
});

export type LdapProperties = z.infer<typeof ldapPropertiesSchema>;

/** Outbound retry policy of a connector definition (network-type failures only). */
export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(100).default(5),
  initialIntervalMs: z.number().int().min(0).max(3_600_000).default(1000),
  backoffCoefficient: z.number().min(1).max(100).default(2),
  maxIntervalMs: z.number().int().min(0).max(86_400_000).default(60_000),
});

export type RetryPolicy = z.infer<typeof retryPolicySchema>;
