import type { z } from 'zod';
import { syncActionSchema } from '../enums';

/**
 * What the XML codec needs to know about a zod schema node: the dataset format is typed by the resource schemas
 * (SPEC.md §7: "types come from the resource schemas, never guessed from the text").
 */
export type SchemaNode =
  | { kind: 'object'; shape: Record<string, z.ZodType> }
  | { kind: 'array'; element: z.ZodType }
  | { kind: 'union'; options: z.ZodType[]; discriminator?: string }
  | { kind: 'string' | 'number' | 'boolean' | 'enum' | 'literal' }
  /** Free-form JSON (a search expression): written as JSON text. */
  | { kind: 'json' };

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  in?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Whether the schema admits null under its optional / default wrappers (e.g. an `objectType` whose null is the default one). */
export function acceptsNull(schema: z.ZodType): boolean {
  for (let s = schema; ; ) {
    const def = defOf(s);
    if (def.type === 'nullable') return true;
    if (!['optional', 'default', 'prefault', 'readonly'].includes(def.type)) return false;
    s = def.innerType!;
  }
}

/** The schema node with optional / nullable / default wrappers removed. */
export function describe(schema: z.ZodType): SchemaNode {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
        s = def.innerType!;
        continue;
      case 'pipe':
        s = def.in!;
        continue;
      case 'object':
        return { kind: 'object', shape: def.shape! };
      case 'array':
        return { kind: 'array', element: def.element! };
      case 'union':
        return { kind: 'union', options: def.options!, discriminator: def.discriminator };
      case 'string':
      case 'number':
      case 'boolean':
      case 'enum':
      case 'literal':
        return { kind: def.type };
      case 'record':
      case 'unknown':
      case 'any':
        return { kind: 'json' };
      default:
        throw new Error(`the XML codec does not handle zod type ${def.type}`);
    }
  }
}

/** The option of a discriminated union whose discriminator accepts `value`. */
export function unionOption(node: Extract<SchemaNode, { kind: 'union' }>, value: unknown): z.ZodType | undefined {
  if (!node.discriminator) return undefined;
  return node.options.find((o) => {
    const d = describe(o);
    return d.kind === 'object' && d.shape[node.discriminator!]?.safeParse(value).success;
  });
}

/** Children of a list: `<action>` for SyncAction lists (SPEC.md §7), else the singular of the list's name. */
export function itemElementName(listName: string, element: z.ZodType): string {
  if (element === syncActionSchema) return 'action';
  if (listName.endsWith('ies')) return `${listName.slice(0, -3)}y`;
  if (listName.endsWith('s')) return listName.slice(0, -1);
  return `${listName}Item`;
}
