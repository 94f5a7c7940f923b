import { valuesOf } from '../store/idm-model';
import type { CompiledRule, ScriptContext } from '../scripting/types';

/**
 * The values one attribute mapping yields (SPEC.md §3.2), inbound or outbound alike: a simple mapping's source
 * values, each passed through its compute rule when it has one; a custom mapping's rule result.
 * `source` is null for a custom mapping.
 */
export async function mappedValues(source: unknown[] | null, rule: CompiledRule<'mapping'> | null, ctx: ScriptContext): Promise<unknown[]> {
  if (source === null) return rule ? valuesOf(await rule.evaluate(ctx)) : [];
  if (!rule) return source;
  const out: unknown[] = [];
  for (const v of source) out.push(...valuesOf(await rule.evaluate({ ...ctx, VALUE: v })));
  return out;
}
