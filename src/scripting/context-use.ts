/**
 * Which context names a rule can read, so the sandbox copies in only those. Copying a context object means
 * JSON.stringify on the host and JSON.parse inside QuickJS, which costs more than most rules themselves: a display
 * name rule that reads ACCOUNT took 49 µs with IDM_OBJECT copied in beside it and 23 µs without; a lower-casing
 * rule that reads VALUE, 44 µs and 8 µs.
 */
import { parse } from 'acorn';
import type { ScriptContext } from './types';
import { wrapRuleBody } from './wrapper';

export type ContextName = keyof ScriptContext & string;

/**
 * The context names are parameters of the function the rule body becomes (wrapper.ts), so the body reaches one
 * only through an identifier with its name (acorn decodes `\u` escapes, so `IDM\u005FOBJECT` counts), through
 * `arguments`, or through a direct `eval` (which sees the enclosing parameters). The latter two, or a source that
 * acorn does not parse (nested too deeply for its recursion, say), get every name. Property names and labels count
 * too: an extra copy is only slower.
 */
export function contextNamesUsed(script: string, names: readonly ContextName[]): ReadonlySet<ContextName> {
  const all = new Set(names);
  let body: unknown;
  try {
    const program = parse(wrapRuleBody(script), { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as WrappedProgram;
    // The wrapper's own parameters are Identifiers too: walk the body only. A body that closes the wrapper early
    // makes a second statement (the syntax check refuses it anyway).
    if (program.body.length === 1) body = program.body[0]?.expression?.body;
  } catch {
    return all;
  }
  if (body === undefined) return all;
  const identifiers = identifierNames(body);
  if (identifiers.has('arguments') || identifiers.has('eval')) return all;
  return new Set(names.filter((n) => identifiers.has(n)));
}

/** The shape of `(function (...) { body })` as acorn gives it. */
interface WrappedProgram {
  body: Array<{ expression?: { body?: unknown } }>;
}

/** Every Identifier name in an acorn tree, walked with a stack of its own: a deeply nested rule cannot overflow it. */
function identifierNames(root: unknown): Set<string> {
  const found = new Set<string>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      const n = node as { type?: unknown; name?: unknown };
      if (n.type === 'Identifier' && typeof n.name === 'string') found.add(n.name);
      for (const value of Object.values(node)) if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return found;
}
