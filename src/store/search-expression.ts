import type { Filter, Document } from 'mongodb';
import type { ValidationIssue } from '../errors';

/**
 * Search expressions over IDM objects (SPEC.md §8): a small JSON filter language that is validated and then
 * translated by the service. It is never passed to the database as given, so `$where`, `$expr`, `$function`
 * or a crafted key cannot reach the store.
 */
export type SearchExpression = Record<string, unknown>;

const TOP_LEVEL_FIELDS: Record<string, string> = {
  id: '_id',
  kind: 'kind',
  type: 'type',
  lifecycleState: 'lifecycleState',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
};
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** Whether a name is one of the object's own fields (`id`, `type`...). Own keys only: `constructor` is an attribute. */
const isObjectField = (name: string): boolean => Object.hasOwn(TOP_LEVEL_FIELDS, name);

/** Whether a search-expression key names an IDM attribute: a valid attribute name that is no object field. */
export const isAttributeName = (name: string): boolean => !isObjectField(name) && ATTRIBUTE_NAME.test(name);
const OPERATORS = new Set(['$eq', '$ne', '$in', '$nin', '$exists', '$regex', '$options', '$gt', '$gte', '$lt', '$lte']);
const MAX_DEPTH = 32;
const MAX_NODES = 2000;
const MAX_LIST = 1000;
const MAX_REGEX = 1000;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem of an expression, each with its path (prefixed by `path`). Empty when valid. */
export function validateSearchExpression(expr: unknown, path = 'filter'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  let nodes = 0;
  const add = (p: string, reason: string): void => {
    issues.push({ path: p, reason });
  };

  const walkExpr = (e: unknown, p: string, depth: number): void => {
    if (++nodes > MAX_NODES) return add(p, `expression too large (more than ${MAX_NODES} nodes)`);
    if (depth > MAX_DEPTH) return add(p, `expression nested deeper than ${MAX_DEPTH} levels`);
    if (!isPlainObject(e)) return add(p, 'expected an object such as {"attribute": "value"}');
    for (const [key, value] of Object.entries(e)) {
      const kp = `${p}.${key}`;
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value) || value.length === 0) add(kp, `${key} takes a non-empty list of expressions`);
        else value.forEach((sub, i) => walkExpr(sub, `${kp}[${i}]`, depth + 1));
      } else if (key === '$not') {
        walkExpr(value, kp, depth + 1);
      } else if (key.startsWith('$')) {
        add(kp, `unknown operator ${key.slice(0, 40)}; allowed at this level: $and, $or, $not`);
      } else if (!isObjectField(key) && !ATTRIBUTE_NAME.test(key)) {
        add(kp, 'invalid attribute name: letters, digits, _ and -, starting with a letter or _');
      } else {
        walkCondition(value, kp);
      }
    }
  };

  const walkCondition = (c: unknown, p: string): void => {
    if (isScalar(c)) return;
    if (Array.isArray(c)) return add(p, 'a list is not a value; use {"$in": [...]}');
    if (!isPlainObject(c)) return add(p, 'expected a value or an operator object');
    const keys = Object.keys(c);
    if (keys.length === 0) return add(p, 'empty operator object');
    for (const op of keys) {
      const v = c[op];
      const op_p = `${p}.${op}`;
      if (!OPERATORS.has(op)) {
        add(op_p, `unknown operator ${op.slice(0, 40)}; allowed: ${[...OPERATORS].join(' ')}`);
        continue;
      }
      switch (op) {
        case '$eq':
        case '$ne':
          if (!isScalar(v)) add(op_p, `${op} takes a string, number, boolean or null`);
          break;
        case '$in':
        case '$nin':
          if (!Array.isArray(v) || v.length > MAX_LIST || !v.every(isScalar)) add(op_p, `${op} takes a list of at most ${MAX_LIST} scalar values`);
          break;
        case '$exists':
          if (typeof v !== 'boolean') add(op_p, '$exists takes true or false');
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte':
          if (typeof v !== 'string' && typeof v !== 'number') add(op_p, `${op} takes a string or a number`);
          break;
        case '$regex':
          if (typeof v !== 'string' || v.length > MAX_REGEX) add(op_p, `$regex takes a string of at most ${MAX_REGEX} characters`);
          else if (v.includes('\u0000')) add(op_p, '$regex must not contain NUL');
          else {
            try {
              new RegExp(v);
            } catch (err) {
              add(op_p, `invalid regular expression: ${(err as Error).message}`);
            }
          }
          break;
        case '$options':
          if (typeof v !== 'string' || !/^[ims]{0,3}$/.test(v)) add(op_p, '$options takes a combination of i, m, s');
          else if (!('$regex' in c)) add(op_p, '$options goes with $regex');
          break;
      }
    }
  };

  walkExpr(expr, path, 0);
  return issues;
}

/** The stored field of an attribute name of a search expression (also the sort key of a provisioning scope). */
export const fieldPath = (name: string): string => (isObjectField(name) ? TOP_LEVEL_FIELDS[name]! : `attributes.${name}`);

/** Translates a validated expression into a MongoDB filter over the `idmObjects` collection. */
export function toMongoFilter(expr: SearchExpression): Filter<Document> {
  const out: Document = {};
  const and: Document[] = [];
  for (const [key, value] of Object.entries(expr)) {
    if (key === '$and' || key === '$or') out[key] = (value as SearchExpression[]).map(toMongoFilter);
    else if (key === '$not') and.push({ $nor: [toMongoFilter(value as SearchExpression)] });
    else out[fieldPath(key)] = translateCondition(value);
  }
  if (and.length) out.$and = [...((out.$and as Document[]) ?? []), ...and];
  return out;
}

function translateCondition(c: unknown): unknown {
  if (!isPlainObject(c)) return c;
  const out: Document = {};
  for (const [op, v] of Object.entries(c)) out[op] = v;
  return out;
}

/** An attribute and the values of which a matching object must hold one. */
export interface Narrowing {
  attribute: string;
  values: Array<string | number | boolean>;
}

/**
 * What every object matching `expr` must hold, for a look-up through the correlation keys (`CorrelationKeys`) instead
 * of a scan: an equality (`"v"`, `{"$eq": "v"}`) or `$in` on a tracked attribute, at the top level or in a `$and`; of
 * several, the one with the fewest values. Null when the expression does not narrow that way. The keys give a
 * superset (a key is the value as text: 5 and "5" share one), so the caller still applies the whole filter.
 */
export function narrowing(expr: SearchExpression, tracked: readonly string[]): Narrowing | null {
  let best: Narrowing | null = null;
  const consider = (n: Narrowing | null) => {
    if (n && (!best || n.values.length < best.values.length)) best = n;
  };
  for (const [key, value] of Object.entries(expr)) {
    if (key === '$and') for (const sub of value as SearchExpression[]) consider(narrowing(sub, tracked));
    else if (isAttributeName(key) && tracked.includes(key)) {
      const values = equalityValues(value);
      consider(values ? { attribute: key, values } : null);
    }
  }
  return best;
}

/** The values an attribute condition requires one of, or null when it allows others (or null, which matches absence). */
function equalityValues(c: unknown): Array<string | number | boolean> | null {
  const nonNull = (v: unknown): v is string | number | boolean => v !== null && isScalar(v);
  if (nonNull(c)) return [c];
  if (!isPlainObject(c)) return null;
  if ('$eq' in c) return nonNull(c.$eq) ? [c.$eq] : null;
  if ('$in' in c && Array.isArray(c.$in) && c.$in.every(nonNull)) return c.$in as Array<string | number | boolean>;
  return null;
}
