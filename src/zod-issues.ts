import type { z } from 'zod';
import type { ValidationIssue } from './errors';

/** `a.b[0].c` from a zod path, optionally under a prefix. */
export function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/**
 * zod issues → the `properties.errors` list of the error representation. An unknown property becomes one issue
 * at its own path, so a typo is reported where it is.
 */
export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: formatPath(prefix, [...i.path, k]), reason: 'unknown property' });
    } else {
      out.push({ path: formatPath(prefix, i.path), reason: i.message });
    }
  }
  return out;
}
