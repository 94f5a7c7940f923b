import { parse } from 'acorn';
import { isAttributeName } from '../store/search-expression';

/** A node of acorn's ESTree output, as far as this module looks into it. */
interface Node {
  type: string;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

/**
 * The IDM attributes a correlation rule searches by equality through `ObjectFinder.find({...})`, read from its source:
 * the keys of an object literal given as the filter, and of the object literals of a `$and` list in it. Keeping
 * correlation keys for them lets ObjectFinder answer by `_id` look-ups instead of a scan of every IDM object per
 * account (IdmObjectStore.find). A filter built at run time is not seen and is simply answered by a scan; so is a
 * script that does not parse (validation reports it elsewhere).
 */
export function finderEqualityAttributes(script: string): string[] {
  let program: Node;
  try {
    program = parse(script, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true }) as unknown as Node;
  } catch {
    return [];
  }
  const found = new Set<string>();
  // An explicit stack: a script nested thousands of levels deep must not overflow this one.
  const stack: Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isFinderCall(node)) literalKeys((node.arguments as Node[])[0], found);
    for (const value of Object.values(node)) {
      if (isNode(value)) stack.push(value);
      else if (Array.isArray(value)) for (const item of value) if (isNode(item)) stack.push(item);
    }
  }
  return [...found].sort();
}

function isFinderCall(node: Node): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee as Node;
  if (callee.type !== 'MemberExpression' || callee.computed) return false;
  const object = callee.object as Node;
  const property = callee.property as Node;
  return object.type === 'Identifier' && object.name === 'ObjectFinder' && property.type === 'Identifier' && property.name === 'find';
}

/** The attribute keys of an object literal filter, following `$and` lists of object literals (all conjunctive). */
function literalKeys(filter: Node | undefined, found: Set<string>): void {
  if (!filter || filter.type !== 'ObjectExpression') return;
  for (const prop of filter.properties as Node[]) {
    if (prop.type !== 'Property' || prop.computed) continue;
    const key = prop.key as Node;
    const name = key.type === 'Identifier' ? key.name : key.type === 'Literal' ? key.value : undefined;
    if (typeof name !== 'string') continue;
    const value = prop.value as Node;
    if (name === '$and' && value.type === 'ArrayExpression') for (const element of value.elements as Array<Node | null>) literalKeys(element ?? undefined, found);
    else if (isAttributeName(name)) found.add(name);
  }
}
