import type { z } from 'zod';
import { describe, itemElementName, unionOption } from './schema-nodes';

const INDENT = '  ';

/** Escapes text content; CR as a character reference so it survives XML's line-end normalization. */
export function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** A script as CDATA; `]]>` inside it is split across two sections, the only way CDATA can hold it. */
function cdata(s: string): string {
  return `<![CDATA[${s.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/**
 * JSON value → lines of XML, typed by the schema (SPEC.md §7): one element per property in schema order, lists as a
 * wrapper of singular children, scripts in CDATA, free-form JSON as JSON text. Absent and null values are left out.
 * `attributes` go on the element itself; `omit` lists properties written elsewhere (the resource id attribute).
 */
export function encodeElement(
  name: string,
  value: unknown,
  schema: z.ZodType,
  depth: number,
  lines: string[],
  attributes: Record<string, string> = {},
  omit: readonly string[] = [],
): void {
  if (value === undefined || value === null) return;
  const pad = INDENT.repeat(depth);
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
  const node = describe(schema);
  switch (node.kind) {
    case 'union': {
      const discriminator = node.discriminator;
      const option = discriminator ? unionOption(node, (value as Record<string, unknown>)[discriminator]) : undefined;
      if (!option) throw new Error(`no schema option for <${name}>`);
      return encodeElement(name, value, option, depth, lines, attributes, omit);
    }
    case 'object': {
      const start = lines.length;
      const obj = value as Record<string, unknown>;
      for (const [key, childSchema] of Object.entries(node.shape)) {
        if (!omit.includes(key)) encodeElement(key, obj[key], childSchema, depth + 1, lines);
      }
      closeContainer(lines, start, pad, name, attrs);
      return;
    }
    case 'array': {
      const start = lines.length;
      const itemName = itemElementName(name, node.element);
      for (const item of value as unknown[]) encodeElement(itemName, item, node.element, depth + 1, lines);
      closeContainer(lines, start, pad, name, attrs);
      return;
    }
    case 'json':
      lines.push(`${pad}<${name}${attrs}>${escapeText(JSON.stringify(value))}</${name}>`);
      return;
    default: {
      const text = String(value);
      // CDATA cannot carry a CR (XML normalizes line ends inside it): such a script is written as escaped text.
      const content = name === 'script' && !text.includes('\r') ? cdata(text) : escapeText(text);
      lines.push(text === '' ? `${pad}<${name}${attrs}/>` : `${pad}<${name}${attrs}>${content}</${name}>`);
    }
  }
}

/** Wraps the child lines written since `start` in the element, or writes an empty element when there are none. */
function closeContainer(lines: string[], start: number, pad: string, name: string, attrs: string): void {
  if (lines.length === start) {
    lines.push(`${pad}<${name}${attrs}/>`);
    return;
  }
  lines.splice(start, 0, `${pad}<${name}${attrs}>`);
  lines.push(`${pad}</${name}>`);
}
