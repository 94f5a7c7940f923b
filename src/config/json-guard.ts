import type { ValidationIssue } from '../errors';
import { childPath } from './issue-paths';

/** Deepest nesting a configuration body may have; real resources stay under 20. */
export const MAX_JSON_DEPTH = 64;

/** C0 controls XML 1.0 cannot carry (so an export could not hold them); NUL is one of them. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * Checks a parsed JSON body before schema validation: a hostile nesting depth would make recursive walkers (zod,
 * the driver's BSON encoder) overflow the stack, `$`-prefixed keys must never reach the database, and control
 * characters could not be exported as XML. The walk is
 * iterative for that reason. Values under `opaqueKeys` (top-level properties such as a provisioning `scope`,
 * whose grammar is its own and uses `$and`...) are exempt from the `$` rule but not from the depth limit.
 */
export function guardJson(body: unknown, opaqueKeys: readonly string[] = [], prefix = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number; opaque: boolean }> = [{ value: body, path: prefix, depth: 0, opaque: false }];
  while (stack.length > 0) {
    const { value, path, depth, opaque } = stack.pop()!;
    if (typeof value === 'string' && CONTROL_CHARS.test(value)) issues.push({ path, reason: 'control characters (other than tab, LF, CR) are not allowed' });
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      issues.push({ path, reason: `nested deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: childPath(path, i), depth: depth + 1, opaque }));
      continue;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const p = childPath(path, key);
      const isOpaque = opaque || (depth === 0 && opaqueKeys.includes(key));
      if (CONTROL_CHARS.test(key) || (!opaque && key.startsWith('$'))) {
        issues.push({ path: p, reason: 'property names must not start with $ or contain control characters' });
        continue;
      }
      stack.push({ value: v, path: p, depth: depth + 1, opaque: isOpaque });
    }
  }
  return issues.reverse();
}
