import type { SimpleMatching } from '../config/schemas/matching';
import type { ObjectMatchingCondition } from '../config/schemas/matching';
import { valuesOf } from '../store/idm-model';
import type { CompiledRule, ScriptContext } from '../scripting/types';

/**
 * A simple matching strategy: true when any value of the attribute matches the regex (search semantics, as
 * Groovy's `=~`; anchor with ^...$ for a whole-value match). The regex is compiled once per run.
 */
export function simpleMatcher(s: SimpleMatching): (attributes: Record<string, unknown>) => boolean {
  const re = new RegExp(s.regex);
  return (attributes) => valuesOf(attributes[s.inputAttributeId]).some((v) => re.test(String(v)));
}

/** What an object matching condition looks at: an account (decision rules) or an IDM object (profiles). */
export interface MatchSubject {
  kind: string; // shadow kind of the account, or IDM kind
  type: string | null; // resolved object type, or the IDM object's type
  attributes: Record<string, unknown>;
  context: ScriptContext; // for a custom strategy
}

export interface CompiledCondition {
  matches(subject: MatchSubject): Promise<boolean>;
}

/** SPEC.md §3.5: objectKind, objectTypes (ORed) and at most one strategy, all ANDed. */
export function compileCondition(
  c: ObjectMatchingCondition,
  compileCustom: (script: string, location: string) => CompiledRule<'matching'>,
  location: string,
): CompiledCondition {
  const simple = c.simpleObjectMatchingStrategyDefinition ? simpleMatcher(c.simpleObjectMatchingStrategyDefinition) : null;
  const custom = c.customObjectMatchingStrategyDefinition
    ? compileCustom(c.customObjectMatchingStrategyDefinition.computeRule.script, `${location}.customObjectMatchingStrategyDefinition.computeRule`)
    : null;
  const types = c.objectTypes ?? [];
  return {
    async matches(s) {
      if (s.kind !== c.objectKind) return false;
      if (types.length > 0 && (s.type === null || !types.includes(s.type))) return false;
      if (simple && !simple(s.attributes)) return false;
      if (custom && !(await custom.evaluate(s.context))) return false;
      return true;
    },
  };
}
