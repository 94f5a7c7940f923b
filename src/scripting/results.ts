/**
 * The return-type rules of SPEC.md §3.9, per rule kind: turn what a script returned (the prelude's
 * `[tag, value]` envelope) into the plain value the engine hands back, or say why it is the wrong type.
 */
import { IMPURE_MARK, type ResultTag } from './prelude';
import { isSyncAction } from './sync-actions';
import type { CorrelationResultValue, RuleKind, RuleResults, ScriptValue } from './types';

/** A script returned a value of the wrong type for its rule kind; the engine adds the rule's location. */
export class ResultTypeError extends Error {}

type Returned = { tag: ResultTag; value: unknown; impure: boolean };

/**
 * Reads the prelude's `tag:payload` answer (payload raw for strings, JSON otherwise, empty for no value), and
 * whether the evaluation read the clock or randomness (IMPURE_MARK).
 */
export function parseEnvelope(answer: string): Returned {
  const impure = answer.startsWith(IMPURE_MARK);
  const envelope = impure ? answer.slice(IMPURE_MARK.length) : answer;
  const colon = envelope.indexOf(':');
  const tag = envelope.slice(0, colon) as ResultTag;
  const payload = envelope.slice(colon + 1);
  if (tag === 'string') return { tag, value: payload, impure };
  return { tag, value: payload === '' ? undefined : (JSON.parse(payload) as unknown), impure };
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const describe = (r: Returned): string => (r.tag === 'string' ? `the string ${JSON.stringify(r.value)}` : `a value of type ${r.tag}`);

function valueOrList(r: Returned): ScriptValue {
  if (r.tag === 'undefined' || r.tag === 'null') return null;
  if (isScalar(r.value) && (r.tag === 'string' || r.tag === 'number' || r.tag === 'boolean')) return r.value;
  if (r.tag === 'array' && Array.isArray(r.value) && r.value.every((v) => v === null || isScalar(v))) return r.value as ScriptValue;
  throw new ResultTypeError(`must return a value, a list of values or null, not ${r.tag === 'array' ? 'a list containing objects or lists' : describe(r)}`);
}

function assignment(r: Returned): string | null {
  if (r.tag === 'undefined' || r.tag === 'null') return null;
  if (r.tag === 'string' && typeof r.value === 'string') return r.value;
  throw new ResultTypeError(`must return an object type name (a string) or null, not ${describe(r)}`);
}

function matching(r: Returned): boolean {
  if (r.tag === 'boolean' && typeof r.value === 'boolean') return r.value;
  throw new ResultTypeError(`must return a boolean, not ${describe(r)}`);
}

function idList(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw new ResultTypeError(`${what} must be a list of IDM object ids (strings)`);
  }
  return value as string[];
}

function correlation(r: Returned): CorrelationResultValue {
  if (r.tag === 'array') return { ids: idList(r.value, 'the returned list'), metadata: null };
  if (r.tag === 'correlation' && isPlainObject(r.value)) {
    const { ids, metadata } = r.value;
    if (metadata !== null && !isPlainObject(metadata)) throw new ResultTypeError('CorrelationResult metadata must be an object or null');
    return { ids: idList(ids, 'CorrelationResult ids'), metadata };
  }
  throw new ResultTypeError(`must return CorrelationResult.of(ids, metadata) or a list of IDM object ids, not ${describe(r)}`);
}

function decision(r: Returned): string[] {
  if (r.tag === 'undefined' || r.tag === 'null') return [];
  const actions = r.tag === 'array' && Array.isArray(r.value) ? r.value : r.tag === 'string' ? [r.value] : undefined;
  if (!actions) throw new ResultTypeError(`must return a SyncAction, a list of them or null, not ${describe(r)}`);
  const invalid = actions.filter((a) => !isSyncAction(a));
  if (invalid.length > 0) throw new ResultTypeError(`returned ${invalid.map((a) => JSON.stringify(a)).join(', ')}, which is not a SyncAction`);
  return actions as string[];
}

function customAction(r: Returned): Record<string, ScriptValue> | null {
  if (r.tag === 'undefined' || r.tag === 'null') return null;
  if (r.tag === 'object' && isPlainObject(r.value)) return r.value as Record<string, ScriptValue>;
  throw new ResultTypeError(`must return a patch object { attribute: value | null } or null, not ${describe(r)}`);
}

const CHECKS: { [K in RuleKind]: (r: Returned) => RuleResults[K] } = {
  normalize: valueOrList,
  mapping: valueOrList,
  assignment,
  matching,
  correlation,
  decision,
  customAction,
};

/** The checked result of a rule of kind `kind`; throws ResultTypeError when the script returned the wrong type. */
export function checkResult<K extends RuleKind>(kind: K, returned: Returned): RuleResults[K] {
  return CHECKS[kind](returned);
}
