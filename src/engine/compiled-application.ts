import type {
  Application,
  InboundAttributeMapping,
  ObjectSchemaMappingDefinition,
  ObjectSynchronizationDefinition,
  OutboundAttributeMapping,
} from '../config/schemas/application';
import type { SyncAction } from '../config/enums';
import type { CompiledRule, RuleKind, ScriptEngine } from '../scripting/types';
import { compileCondition, simpleMatcher, type CompiledCondition } from './matching';
import { finderEqualityAttributes } from '../scripting/finder-attributes';

/**
 * An application with every compute rule and regex compiled once (ARCHITECTURE.md §5), ready for a run.
 * Locations name each rule's place in the configuration, so a script error says which rule failed.
 */
export interface CompiledMapping<M> {
  def: M;
  rule: CompiledRule<'mapping'> | null;
}

export interface CompiledSchemaMapping {
  def: ObjectSchemaMappingDefinition;
  inbound: CompiledMapping<InboundAttributeMapping>[];
  outbound: CompiledMapping<OutboundAttributeMapping>[];
}

export interface CompiledObjectSync {
  def: ObjectSynchronizationDefinition;
  location: string;
  normalizeRules: Array<CompiledRule<'normalize'> | null>; // per attributeCorrelationDefinition
  customCorrelation: CompiledRule<'correlation'> | null;
  customDecision: CompiledRule<'decision'> | null;
  decisionRules: Array<{ actions: SyncAction[]; condition: CompiledCondition }>;
  defaultActions: SyncAction[];
  hasDecisionDefinition: boolean;
  customAction: CompiledRule<'customAction'> | null;
}

export interface CompiledApplication {
  app: Application;
  assignment: Array<{ objectTypeId: string; matches: (ctx: { ACCOUNT: Record<string, unknown> }) => Promise<boolean> }>;
  customAssignment: CompiledRule<'assignment'> | null;
  objectSyncs: CompiledObjectSync[];
  mappings: CompiledSchemaMapping[];
}

export function compileApplication(app: Application, scripts: ScriptEngine): CompiledApplication {
  const base = `applications/${app.id}`;
  const compile = <K extends RuleKind>(kind: K, script: string, location: string) => scripts.compile(kind, script, location);
  const sync = app.synchronizationDefinition;
  const res = sync?.objectTypeResolutionDefinition;
  const resLoc = `${base}.synchronizationDefinition.objectTypeResolutionDefinition`;

  const assignment = (res?.assignmentRules ?? []).map((r, i) => {
    const loc = `${resLoc}.assignmentRules[${i}].condition`;
    if (r.condition.simple) {
      const m = simpleMatcher(r.condition.simple);
      return { objectTypeId: r.objectTypeId, matches: async (ctx: { ACCOUNT: Record<string, unknown> }) => m(ctx.ACCOUNT) };
    }
    const rule = compile('matching', r.condition.custom!.script, `${loc}.custom`);
    return { objectTypeId: r.objectTypeId, matches: (ctx: { ACCOUNT: Record<string, unknown> }) => rule.evaluate(ctx) };
  });

  const objectSyncs = (sync?.objectSynchronizationDefinitions ?? []).map((def, i): CompiledObjectSync => {
    const loc = `${base}.synchronizationDefinition.objectSynchronizationDefinitions[${i}]`;
    const simple = def.correlationDefinition.simpleCorrelationStrategyDefinition;
    const custom = def.correlationDefinition.customCorrelationStrategyDefinition;
    const decision = def.synchronizationActionDecisionDefinition;
    const decLoc = `${loc}.synchronizationActionDecisionDefinition`;
    return {
      def,
      location: loc,
      normalizeRules: (simple?.attributeCorrelationDefinitions ?? []).map((a, j) =>
        a.normalizeRule
          ? compile('normalize', a.normalizeRule.script, `${loc}.correlationDefinition.simpleCorrelationStrategyDefinition.attributeCorrelationDefinitions[${j}].normalizeRule`)
          : null,
      ),
      customCorrelation: custom ? compile('correlation', custom.computeRule.script, `${loc}.correlationDefinition.customCorrelationStrategyDefinition.computeRule`) : null,
      customDecision: decision?.customDecisionRule ? compile('decision', decision.customDecisionRule.script, `${decLoc}.customDecisionRule`) : null,
      decisionRules: (decision?.decisionRules ?? []).map((r, j) => ({
        actions: r.actions,
        condition: compileCondition(r.objectMatchingCondition, (s, l) => compile('matching', s, l), `${decLoc}.decisionRules[${j}].objectMatchingCondition`),
      })),
      defaultActions: decision?.defaultActions ?? [],
      hasDecisionDefinition: decision !== undefined,
      customAction: def.customAction ? compile('customAction', def.customAction.script, `${loc}.customAction`) : null,
    };
  });

  const mappings = app.schemaMappingDefinition.objectSchemaMappingDefinitions.map((def, i): CompiledSchemaMapping => {
    const loc = `${base}.schemaMappingDefinition.objectSchemaMappingDefinitions[${i}]`;
    const one = <M extends InboundAttributeMapping | OutboundAttributeMapping>(m: M, j: number, dir: string): CompiledMapping<M> => {
      const script = m.custom?.computeRule.script ?? m.simple?.computeRule?.script;
      const where = m.custom ? 'custom.computeRule' : 'simple.computeRule';
      return { def: m, rule: script ? compile('mapping', script, `${loc}.${dir}[${j}].${where}`) : null };
    };
    return {
      def,
      inbound: (def.inboundAttributeMappings ?? []).map((m, j) => one(m, j, 'inboundAttributeMappings')),
      outbound: (def.outboundAttributeMappings ?? []).map((m, j) => one(m, j, 'outboundAttributeMappings')),
    };
  });

  return {
    app,
    assignment,
    customAssignment: res?.customAssignmentRule ? compile('assignment', res.customAssignmentRule.script, `${resLoc}.customAssignmentRule`) : null,
    objectSyncs,
    mappings,
  };
}

/**
 * The sub-configuration of a triplet: the definition whose objectType equals the type, else the null-type default
 * (the seed: "applied when no sub-configuration matching a given Object Type was found").
 */
export function pickByType<T extends { def: { objectType?: string | null; objectClassId: string; shadowKind: string } }>(
  list: T[],
  objectClassId: string,
  objectType: string,
  shadowKind?: string,
): T | undefined {
  const candidates = list.filter((x) => x.def.objectClassId === objectClassId && (shadowKind === undefined || x.def.shadowKind === shadowKind));
  return candidates.find((x) => x.def.objectType === objectType) ?? candidates.find((x) => x.def.objectType === null || x.def.objectType === undefined);
}

/**
 * The IDM attributes the application's simple correlations look up: their correlation keys must be maintained
 * (`CorrelationKeys.ensureTracked`) before a run, or correlation would find nothing.
 */
export function correlationAttributes(c: CompiledApplication): string[] {
  return simpleCorrelationAttributes(c.objectSyncs.map((os) => os.def));
}

export function simpleCorrelationAttributes(defs: readonly ObjectSynchronizationDefinition[]): string[] {
  const ids = defs.flatMap((d) => d.correlationDefinition.simpleCorrelationStrategyDefinition?.attributeCorrelationDefinitions.map((a) => a.idmAttributeId) ?? []);
  return [...new Set(ids)].sort();
}

/**
 * Every IDM attribute whose correlation keys the application's correlations use: those of its simple correlations,
 * and those its custom correlation rules search by equality with ObjectFinder (found in their source), which the keys
 * turn from a scan of the repository per account into look-ups (docs/decisions.md).
 */
export function keyedAttributes(defs: readonly ObjectSynchronizationDefinition[]): string[] {
  const finder = defs.flatMap((d) => {
    const script = d.correlationDefinition.customCorrelationStrategyDefinition?.computeRule.script;
    return script ? finderEqualityAttributes(script) : [];
  });
  return [...new Set([...simpleCorrelationAttributes(defs), ...finder])].sort();
}
