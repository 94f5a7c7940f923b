import type { ValidationIssue } from '../errors';
import { ACTION_SITUATIONS, actionOrderProblem, CSV_OBJECT_CLASS_ID, type SyncAction } from './enums';
import { childPath } from './issue-paths';
import type { AccountObjectMatchingCondition, Application, ConnectorDefinition, IdmObjectMatchingCondition, ObjectSynchronizationDefinition } from './schemas';
import { exclusiveIssue } from './validate-common';

/** SPEC.md §3.2 cross-field rules of an Application; `connector` is the one it references, when it exists. */
export function applicationIssues(app: Application, connector: ConnectorDefinition | undefined): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const sync = app.synchronizationDefinition;
  if (sync) {
    const base = 'synchronizationDefinition';
    const resolution = sync.objectTypeResolutionDefinition;
    const resPath = childPath(base, 'objectTypeResolutionDefinition');
    issues.push(...exclusiveIssue(resolution, ['assignmentRules', 'customAssignmentRule'], resPath, 'assignmentRules and customAssignmentRule are mutually exclusive', true));
    resolution.assignmentRules?.forEach((rule, i) => {
      const p = childPath(childPath(childPath(resPath, 'assignmentRules'), i), 'condition');
      issues.push(...exclusiveIssue(rule.condition, ['simple', 'custom'], p, 'exactly one of simple and custom must be set'));
    });
    const listPath = childPath(base, 'objectSynchronizationDefinitions');
    issues.push(...tripletIssues(sync.objectSynchronizationDefinitions, listPath));
    sync.objectSynchronizationDefinitions.forEach((def, i) => issues.push(...objectSyncIssues(def, childPath(listPath, i))));
  }
  const mappings = app.schemaMappingDefinition.objectSchemaMappingDefinitions;
  const mappingsPath = 'schemaMappingDefinition.objectSchemaMappingDefinitions';
  issues.push(...tripletIssues(mappings, mappingsPath));
  mappings.forEach((m, i) => {
    const p = childPath(mappingsPath, i);
    issues.push(...attributeMappingIssues(m.inboundAttributeMappings ?? [], childPath(p, 'inboundAttributeMappings'), 'idmAttributeId'));
    issues.push(...attributeMappingIssues(m.outboundAttributeMappings ?? [], childPath(p, 'outboundAttributeMappings'), 'applicationAttributeId'));
  });
  if (connector) issues.push(...objectClassIssues(app, connector));
  return issues;
}

interface Triplet {
  objectType?: string | null;
  objectClassId: string;
  shadowKind: string;
}

/** Triplets unique within a list, and at most one null (default) object type. */
function tripletIssues(list: readonly Triplet[], path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  let firstNull: number | undefined;
  list.forEach((t, i) => {
    const type = t.objectType ?? null;
    if (type === null) {
      if (firstNull !== undefined) issues.push({ path: childPath(childPath(path, i), 'objectType'), reason: `only one entry may have a null (default) objectType; [${firstNull}] already has one` });
      else firstNull = i;
      return;
    }
    const key = JSON.stringify([t.objectClassId, t.shadowKind, type]);
    const prev = seen.get(key);
    if (prev !== undefined) issues.push({ path: childPath(path, i), reason: `duplicate triplet [${t.objectClassId}, ${t.shadowKind}, ${type}]: same as [${prev}]` });
    else seen.set(key, i);
  });
  return issues;
}

function objectSyncIssues(def: ObjectSynchronizationDefinition, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (def.shadowKind === 'ENTITLEMENT') issues.push({ path: childPath(path, 'shadowKind'), reason: 'ENTITLEMENT shadows are not synchronized to IDM objects' });
  issues.push(...exclusiveIssue(def.correlationDefinition, ['simpleCorrelationStrategyDefinition', 'customCorrelationStrategyDefinition'], childPath(path, 'correlationDefinition'), 'exactly one strategy must be set'));

  const usedActions: SyncAction[] = [];
  def.reactionDefinitions?.forEach((reaction, i) => {
    reaction.actions.forEach((action, j) => {
      usedActions.push(action);
      const at = childPath(childPath(childPath(childPath(path, 'reactionDefinitions'), i), 'actions'), j);
      if (!ACTION_SITUATIONS[action].includes(reaction.situation)) {
        issues.push({ path: at, reason: `${action} is not compatible with situation ${reaction.situation} (compatible: ${ACTION_SITUATIONS[action].join(', ')})` });
      } else {
        const order = actionOrderProblem(reaction.situation, reaction.actions, j);
        if (order) issues.push({ path: at, reason: order });
      }
    });
  });

  const decision = def.synchronizationActionDecisionDefinition;
  if (decision) {
    const dp = childPath(path, 'synchronizationActionDecisionDefinition');
    issues.push(...exclusiveIssue(decision, ['decisionRules', 'customDecisionRule'], dp, 'decisionRules and customDecisionRule are mutually exclusive', true));
    decision.decisionRules?.forEach((rule, i) => {
      usedActions.push(...rule.actions);
      issues.push(...objectMatchingConditionIssues(rule.objectMatchingCondition, childPath(childPath(childPath(dp, 'decisionRules'), i), 'objectMatchingCondition')));
    });
    usedActions.push(...(decision.defaultActions ?? []));
  }
  if (usedActions.includes('PATCH') && !def.customAction) {
    issues.push({ path: childPath(path, 'customAction'), reason: 'required because the PATCH action is configured' });
  }
  return issues;
}

/** SPEC.md §3.5: at most one strategy; with none, objectTypes must not be empty. */
export function objectMatchingConditionIssues(c: IdmObjectMatchingCondition | AccountObjectMatchingCondition, path: string): ValidationIssue[] {
  const issues = exclusiveIssue(c, ['simpleObjectMatchingStrategyDefinition', 'customObjectMatchingStrategyDefinition'], path, 'simpleObjectMatchingStrategyDefinition and customObjectMatchingStrategyDefinition are mutually exclusive', true);
  if (!c.simpleObjectMatchingStrategyDefinition && !c.customObjectMatchingStrategyDefinition && (c.objectTypes ?? []).length === 0) {
    issues.push({ path: childPath(path, 'objectTypes'), reason: 'must not be empty when no matching strategy is set' });
  }
  return issues;
}

/** Each mapping has exactly one of simple / custom, and maps to a given target attribute once. */
function attributeMappingIssues(list: ReadonlyArray<{ simple?: unknown; custom?: unknown } & Record<string, unknown>>, path: string, targetKey: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<unknown, number>();
  list.forEach((m, i) => {
    const p = childPath(path, i);
    issues.push(...exclusiveIssue(m, ['simple', 'custom'], p, 'exactly one of simple and custom must be set'));
    const target = m[targetKey];
    const prev = seen.get(target);
    if (prev !== undefined) issues.push({ path: childPath(p, targetKey), reason: `${String(target)} is already mapped by [${prev}]` });
    else seen.set(target, i);
  });
  return issues;
}

/** CSV connectors only know the __ACCOUNT__ object class; it means nothing to an LDAP directory. */
function objectClassIssues(app: Application, connector: ConnectorDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (objectClassId: string, path: string): void => {
    if (connector.connectorType === 'CSV' && objectClassId !== CSV_OBJECT_CLASS_ID) {
      issues.push({ path, reason: `a CSV connector only knows the object class ${CSV_OBJECT_CLASS_ID}` });
    } else if (connector.connectorType === 'LDAP' && objectClassId === CSV_OBJECT_CLASS_ID) {
      issues.push({ path, reason: `${CSV_OBJECT_CLASS_ID} is not an LDAP object class; use e.g. inetOrgPerson` });
    }
  };
  app.synchronizationDefinition?.objectSynchronizationDefinitions.forEach((d, i) =>
    check(d.objectClassId, `synchronizationDefinition.objectSynchronizationDefinitions[${i}].objectClassId`),
  );
  app.schemaMappingDefinition.objectSchemaMappingDefinitions.forEach((d, i) =>
    check(d.objectClassId, `schemaMappingDefinition.objectSchemaMappingDefinitions[${i}].objectClassId`),
  );
  return issues;
}
