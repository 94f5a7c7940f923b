import type { z } from 'zod';
import type { ValidationIssue } from '../../errors';
import { childPath } from '../issue-paths';
import type { XmlElement } from './parse-xml';
import { acceptsNull, describe, itemElementName, unionOption, type SchemaNode } from './schema-nodes';

const SCALAR_KINDS = new Set(['string', 'number', 'boolean', 'enum', 'literal']);
const NUMBER_RE = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * XML element → JSON value, typed by the schema. Structural problems (unknown or repeated elements, text where
 * elements are expected) are collected in `issues`; a text that does not fit its type is passed on as a string so
 * the schema reports it with its path. `skip` lists child elements the caller handles itself.
 */
export function decodeElement(el: XmlElement, schema: z.ZodType, path: string, issues: ValidationIssue[], skip: readonly string[] = []): unknown {
  const node = describe(schema);
  const text = el.text.trim();
  // An empty element of a nullable scalar is its null (`<objectType/>`: the default object type), as when left out.
  if (text === '' && el.children.length === 0 && SCALAR_KINDS.has(node.kind) && acceptsNull(schema)) return null;
  switch (node.kind) {
    case 'object': {
      noText(el, path, issues);
      noAttributes(el, path, issues);
      const out: Record<string, unknown> = {};
      for (const child of el.children) {
        if (skip.includes(child.name)) continue;
        const cp = childPath(path, child.name);
        const childSchema = Object.prototype.hasOwnProperty.call(node.shape, child.name) ? node.shape[child.name] : undefined;
        if (!childSchema) issues.push({ path: cp, reason: `unknown element <${child.name}>` });
        else if (child.name in out) issues.push({ path: cp, reason: `<${child.name}> appears more than once` });
        else out[child.name] = decodeElement(child, childSchema, cp, issues);
      }
      return out;
    }
    case 'union': {
      const { discriminator, tag, option } = elementOption(el, node);
      if (!option || !discriminator) {
        issues.push({ path: childPath(path, discriminator ?? ''), reason: tag === undefined ? 'required' : `unsupported value ${JSON.stringify(tag)}` });
        return {};
      }
      return decodeElement(el, option, path, issues, skip);
    }
    case 'array': {
      noText(el, path, issues);
      noAttributes(el, path, issues);
      const itemName = itemElementName(el.name, node.element);
      return el.children.flatMap((child, i) => {
        const cp = childPath(path, i);
        if (child.name !== itemName) {
          issues.push({ path: cp, reason: `expected <${itemName}>, found <${child.name}>` });
          return [];
        }
        return [decodeElement(child, node.element, cp, issues)];
      });
    }
    case 'json': {
      noChildren(el, path, issues);
      try {
        return JSON.parse(el.text) as unknown;
      } catch (e) {
        issues.push({ path, reason: `must hold JSON text: ${(e as Error).message}` });
        return undefined;
      }
    }
    case 'number':
      noChildren(el, path, issues);
      return NUMBER_RE.test(text) ? Number(text) : el.text;
    case 'boolean':
      noChildren(el, path, issues);
      return text === 'true' ? true : text === 'false' ? false : el.text;
    case 'enum':
    case 'literal':
      noChildren(el, path, issues);
      return text;
    case 'string':
      noChildren(el, path, issues);
      return el.text;
  }
}

/** The option of a discriminated union an element picks with its discriminator child, if any does. */
function elementOption(el: XmlElement, node: Extract<SchemaNode, { kind: 'union' }>) {
  const discriminator = node.discriminator;
  const tag = el.children.find((c) => c.name === discriminator)?.text.trim();
  return { discriminator, tag, option: unionOption(node, tag) };
}

/**
 * Whether the element can be decoded at all: an element of a union whose discriminator names no option cannot (its
 * other children mean nothing without knowing the option), and is only reported for that.
 */
export function decodable(el: XmlElement, schema: z.ZodType): boolean {
  const node = describe(schema);
  return node.kind !== 'union' || elementOption(el, node).option !== undefined;
}

function noText(el: XmlElement, path: string, issues: ValidationIssue[]): void {
  if (el.text.trim() !== '') issues.push({ path, reason: `<${el.name}> holds elements, not text` });
}

function noChildren(el: XmlElement, path: string, issues: ValidationIssue[]): void {
  if (el.children.length > 0) issues.push({ path, reason: `<${el.name}> holds text, not elements` });
}

function noAttributes(el: XmlElement, path: string, issues: ValidationIssue[]): void {
  for (const name of Object.keys(el.attributes)) issues.push({ path, reason: `unexpected attribute ${name} on <${el.name}>` });
}
