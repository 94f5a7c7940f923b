import { IDM_KIND_OF_SHADOW_KIND } from '../../config/enums';
import type { IdmObject } from '../../store/idm-model';
import { valuesOf } from '../../store/idm-model';
import type { CorrelationKeys } from '../../store/correlation-keys';
import type { ObjectFinderFn, ScriptContext } from '../../scripting/types';
import type { CompiledObjectSync } from '../compiled-application';

export interface Correlation {
  candidateIds: string[];
  metadata: Record<string, unknown> | null;
}

/** The input of the simple strategy after normalize rules: one list of values per attribute correlation definition. */
export async function normalizedInputs(os: CompiledObjectSync, ctx: ScriptContext): Promise<Array<Array<string | number | boolean>>> {
  const defs = os.def.correlationDefinition.simpleCorrelationStrategyDefinition?.attributeCorrelationDefinitions ?? [];
  return Promise.all(
    defs.map(async (d, j) => {
      const raw = valuesOf(ctx.ACCOUNT?.[d.inputAttributeId]);
      const rule = os.normalizeRules[j];
      if (!rule) return raw;
      const out: Array<string | number | boolean> = [];
      for (const v of raw) out.push(...valuesOf(await rule.evaluate({ ...ctx, VALUE: v })));
      return out;
    }),
  );
}

/**
 * Simple correlation (seed: "simpleCorrelationStrategyDefinition"): attributes ANDed, the values of a multi-valued
 * attribute ORed. Candidates come from the correlation-key collection (`_id` look-ups only); the caller verifies
 * them against the loaded objects with `verifySimple` so a stale key never creates a wrong link.
 */
export async function simpleCandidates(os: CompiledObjectSync, inputs: Array<Array<string | number | boolean>>, keys: CorrelationKeys): Promise<string[]> {
  const defs = os.def.correlationDefinition.simpleCorrelationStrategyDefinition!.attributeCorrelationDefinitions;
  if (inputs.some((vals) => vals.length === 0)) return [];
  const sets = await Promise.all(defs.map((d, j) => keys.lookup(d.idmAttributeId, inputs[j]!)));
  let result = sets[0]!;
  for (const s of sets.slice(1)) result = new Set([...result].filter((id) => s.has(id)));
  return [...result].sort();
}

export function verifySimple(os: CompiledObjectSync, inputs: Array<Array<string | number | boolean>>, candidate: IdmObject): boolean {
  const defs = os.def.correlationDefinition.simpleCorrelationStrategyDefinition!.attributeCorrelationDefinitions;
  return defs.every((d, j) => {
    const have = new Set(valuesOf(candidate.attributes[d.idmAttributeId]).map(String));
    return inputs[j]!.some((v) => have.has(String(v)));
  });
}

/** Candidates must be of the IDM kind of the definition's shadow kind (an ACCOUNT belongs to an IDENTITY). */
export function kindMatches(os: CompiledObjectSync, candidate: IdmObject): boolean {
  return IDM_KIND_OF_SHADOW_KIND[os.def.shadowKind] === candidate.kind;
}

/** Custom correlation: the compute rule searches with ObjectFinder and returns ids (and optional metadata). */
export async function customCandidates(os: CompiledObjectSync, ctx: ScriptContext, objectFinder: ObjectFinderFn): Promise<Correlation> {
  const r = await os.customCorrelation!.evaluate(ctx, { objectFinder });
  return { candidateIds: [...new Set(r.ids)].sort(), metadata: r.metadata };
}
