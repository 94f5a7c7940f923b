import type { z } from 'zod';
import { formatPath } from './issue-paths';

type Json = Record<string, unknown> | unknown[];

/** At most this many rounds of removal: each round removes what the previous parse complained about. */
const MAX_ROUNDS = 4;

/**
 * A body that failed its schema, with the offending properties removed until it parses, so the cross-field rules can
 * still run on the rest and a user learns every problem at once (SPEC.md §2), not one round trip at a time.
 * Only object properties are removed, never array elements (that would shift the paths of the elements behind
 * them); when that is not enough (a required property of the wrong type, a broken list element, a body that is not
 * an object) there is nothing to salvage. `removed` lists the removed paths: rules about them, or about what
 * contains them, would report the removal rather than the body, and are left out by the caller.
 */
export function salvage<T>(schema: z.ZodType<T>, body: unknown, error: z.ZodError): { value: T; removed: string[] } | null {
  if (!isContainer(body)) return null;
  const copy = structuredClone(body);
  const removed: string[] = [];
  let issues = error.issues;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    for (const issue of issues) {
      const targets = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
      for (const path of targets) {
        const at = formatPath(path);
        if (removed.includes(at) || !removeAt(copy, path)) return null;
        removed.push(at);
      }
    }
    const parsed = schema.safeParse(copy);
    if (parsed.success) return { value: parsed.data, removed };
    issues = parsed.error.issues;
  }
  return null;
}

/** Whether an issue at `path` concerns a removed property: the property itself, inside it, or what contains it. */
export function touchesRemoved(path: string, removed: readonly string[]): boolean {
  return removed.some((r) => within(path, r) || within(r, path));
}

const within = (path: string, container: string) =>
  container === '' || path === container || path.startsWith(`${container}.`) || path.startsWith(`${container}[`);

function isContainer(v: unknown): v is Json {
  return typeof v === 'object' && v !== null;
}

function removeAt(root: Json, path: ReadonlyArray<PropertyKey>): boolean {
  const last = path.at(-1);
  if (typeof last !== 'string') return false;
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  if (!isContainer(node) || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, last)) return false;
  delete (node as Record<string, unknown>)[last];
  return true;
}
