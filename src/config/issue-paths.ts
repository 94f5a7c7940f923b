import type { z } from 'zod';
import type { ValidationIssue } from '../errors';

/** Joins path segments the way users read them: `a.b[0].c` (SPEC.md §2 example). */
export function formatPath(segments: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}

/** Appends a property or index to a path already formatted. */
export function childPath(path: string, key: string | number): string {
  return formatPath([key], path);
}

/** Prefixes a formatted path, e.g. joinPath('applications[0]', 'connectorId'). */
export function joinPath(prefix: string, path: string): string {
  if (!prefix) return path;
  if (!path) return prefix;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

/** zod issues → ValidationIssues; an unknown-keys issue becomes one issue per key, at that key's path. */
export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...issue.path, key], prefix), reason: 'unknown property' });
    } else {
      out.push({ path: formatPath(issue.path, prefix), reason: issue.message });
    }
  }
  return out;
}
