import type { z } from 'zod';
import type { ValidationIssue } from '../errors';
import { validateSearchExpression } from '../store/search-expression';
import { childPath, joinPath, zodIssues } from './issue-paths';
import { guardJson } from './json-guard';
import { salvage, touchesRemoved } from './schema-salvage';
import { RESOURCE_INFO, type ResourceByType, type ResourceType } from './resource-types';
import type { ExecutionPlan } from './schemas';
import { applicationIssues, objectMatchingConditionIssues } from './validate-application';
import { executionPlanIssues, relativePathProblem, scriptAndRegexIssues } from './validate-common';

/** Finds another configuration resource (in the store, or in the bundle being imported). */
export type ReferenceResolver = <T extends ResourceType>(type: T, id: string) => Promise<ResourceByType[T] | undefined>;

export type ValidationResult<T extends ResourceType> = { ok: true; value: ResourceByType[T] } | { ok: false; issues: ValidationIssue[] };

/** Top-level properties whose content follows a grammar of its own (search expressions use `$and`...). */
const OPAQUE_KEYS: Partial<Record<ResourceType, string[]>> = { provisioningTaskDefinition: ['scope'] };

/** A schema check; a failed one carries the body with its offending properties removed, when that makes it parse. */
export type SchemaCheck<T extends ResourceType> =
  | { ok: true; value: ResourceByType[T] }
  | { ok: false; issues: ValidationIssue[]; salvaged: { value: ResourceByType[T]; removed: string[] } | null };

/**
 * Validates one resource body completely: JSON hardening, the schema (unknown properties, types), then the
 * cross-field rules of SPEC.md §3 and the references to other resources. Every problem is returned, each with its
 * JSON path (prefixed by `prefix`, e.g. `applications[0]` in an import). Cross-field rules read typed values: when the
 * schema fails they run on the body without its offending properties (schema-salvage.ts), and what they say about
 * those properties is left out.
 */
export async function validateResource<T extends ResourceType>(
  type: T,
  body: unknown,
  refs: ReferenceResolver,
  prefix = '',
  /** (prefixed) paths whose problems were already reported, e.g. by the XML decoder: rules about them are left out */
  reported: readonly string[] = [],
): Promise<ValidationResult<T>> {
  const checked = checkSchema(type, body, prefix);
  if (!checked.ok && !checked.salvaged) return checked;
  const value = checked.ok ? checked.value : checked.salvaged!.value;
  const removed = checked.ok ? [] : checked.salvaged!.removed;
  const crossField = [...scriptAndRegexIssues(value), ...(await CROSS_FIELD[type](value as never, refs))]
    .filter((i) => !touchesRemoved(i.path, removed))
    .map((i) => ({ ...i, path: joinPath(prefix, i.path) }))
    .filter((i) => !touchesRemoved(i.path, reported));
  const issues = [...(checked.ok ? [] : checked.issues), ...crossField];
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
}

/** The schema part alone: JSON hardening, then types and unknown properties. */
export function checkSchema<T extends ResourceType>(type: T, body: unknown, prefix = ''): SchemaCheck<T> {
  const guarded = guardJson(body, OPAQUE_KEYS[type] ?? [], prefix);
  if (guarded.length > 0) return { ok: false, issues: guarded, salvaged: null };
  const { schema, envelope } = RESOURCE_INFO[type];
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data as ResourceByType[T] };
  const salvaged = salvage(schema, body, parsed.error) as { value: ResourceByType[T]; removed: string[] } | null;
  const issues = zodIssues(parsed.error, prefix);
  return { ok: false, issues: envelope ? [...issues, ...envelopeIssues(envelope, body, prefix, issues)] : issues, salvaged };
}

/** The envelope's problems that the union did not already report (it reports only the discriminator when no option matches). */
function envelopeIssues(envelope: z.ZodType, body: unknown, prefix: string, reported: readonly ValidationIssue[]): ValidationIssue[] {
  const parsed = envelope.safeParse(body);
  if (parsed.success) return [];
  const known = new Set(reported.map((i) => i.path));
  return zodIssues(parsed.error, prefix).filter((i) => !known.has(i.path));
}

type CrossField = { [T in ResourceType]: (r: ResourceByType[T], refs: ReferenceResolver) => Promise<ValidationIssue[]> };

async function mustExist(refs: ReferenceResolver, type: ResourceType, id: string | undefined, path: string): Promise<ValidationIssue[]> {
  if (id === undefined || (await refs(type, id))) return [];
  return [{ path, reason: `${RESOURCE_INFO[type].label} ${JSON.stringify(id)} does not exist` }];
}

const planIssues = (plan: ExecutionPlan | undefined): ValidationIssue[] => (plan ? executionPlanIssues(plan, 'executionPlan') : []);

const CROSS_FIELD: CrossField = {
  async connectorDefinition(c) {
    if (c.connectorType !== 'CSV') return [];
    const problem = relativePathProblem(c.connectorProperties.filePath);
    return problem ? [{ path: 'connectorProperties.filePath', reason: problem }] : [];
  },

  async application(app, refs) {
    const connector = await refs('connectorDefinition', app.connectorId);
    const missing = connector ? [] : [{ path: 'connectorId', reason: `ConnectorDefinition ${JSON.stringify(app.connectorId)} does not exist` }];
    return [...missing, ...applicationIssues(app, connector)];
  },

  async synchronizationTaskPostProcessingDefinition(pp) {
    const dir = pp.fileArchivingDefinition?.archiveDirectory;
    const problem = dir === undefined ? null : relativePathProblem(dir);
    return problem ? [{ path: 'fileArchivingDefinition.archiveDirectory', reason: problem }] : [];
  },

  async synchronizationTaskDefinition(task, refs) {
    const issues: ValidationIssue[] = [];
    const app = await refs('application', task.applicationId);
    if (!app) issues.push({ path: 'applicationId', reason: `Application ${JSON.stringify(task.applicationId)} does not exist` });
    else if (!app.synchronizationDefinition) issues.push({ path: 'applicationId', reason: `Application ${JSON.stringify(task.applicationId)} has no synchronizationDefinition` });
    else if (!app.synchronizationDefinition.objectSynchronizationDefinitions.some((d) => d.objectClassId === task.objectClassId)) {
      issues.push({ path: 'objectClassId', reason: `Application ${JSON.stringify(task.applicationId)} has no objectSynchronizationDefinition for object class ${task.objectClassId}` });
    }
    issues.push(...(await mustExist(refs, 'synchronizationTaskPostProcessingDefinition', task.synchronizationTaskPostProcessingId, 'synchronizationTaskPostProcessingId')));
    return [...issues, ...planIssues(task.executionPlan)];
  },

  async applicationProfile(profile, refs) {
    const issues = await mustExist(refs, 'application', profile.applicationId, 'applicationId');
    if (profile.shadowKind === 'ENTITLEMENT') issues.push({ path: 'shadowKind', reason: 'a profile provisions accounts, not entitlements' });
    return [...issues, ...objectMatchingConditionIssues(profile.objectMatchingCondition, 'objectMatchingCondition')];
  },

  async provisioningTaskPostProcessingDefinition() {
    return [];
  },

  async provisioningTaskDefinition(task, refs) {
    const issues = validateSearchExpression(task.scope, 'scope');
    const seen = new Set<string>();
    for (const [i, id] of (task.applicationIds ?? []).entries()) {
      const p = childPath('applicationIds', i);
      if (seen.has(id)) issues.push({ path: p, reason: `${id} is listed twice` });
      seen.add(id);
      issues.push(...(await mustExist(refs, 'application', id, p)));
    }
    issues.push(...(await mustExist(refs, 'provisioningTaskPostProcessingDefinition', task.provisioningTaskPostProcessingId, 'provisioningTaskPostProcessingId')));
    return [...issues, ...planIssues(task.executionPlan)];
  },
};
