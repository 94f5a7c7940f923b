import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../errors';

/** An element of a parsed document: only what the dataset format uses. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA content concatenated; whitespace-only text around child elements is dropped. */
  text: string;
  /** True when the content came from CDATA sections (then the surrounding whitespace is not part of it). */
  cdata: boolean;
}

/** Deepest element nesting accepted; the dataset format needs about 14. */
export const MAX_XML_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true, // keeps repeated elements in order, and builds the tree without recursion
  ignoreAttributes: false,
  attributeNamePrefix: '',
  cdataPropName: '#cdata',
  parseTagValue: false, // types come from the schemas, never from the text
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: true, // numeric character references (&#65;) as well as the five XML entities
  maxNestedTags: MAX_XML_DEPTH,
});

function invalid(reason: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_ERROR', `The XML document is invalid: ${reason}`, { path: '', reason, ...extra }, 'Send a well-formed XML dataset (SPEC.md §7)');
}

/**
 * Parses an untrusted XML document: size limit (413), no DTD or entity declarations at all (they are how entity
 * expansion bombs and external entities get in), well-formedness with line and column, and a depth limit.
 */
export function parseXml(xml: string, maxBytes: number): XmlElement {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `The document exceeds the limit of ${maxBytes} bytes`, { limit: maxBytes, size: bytes });
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw invalid('DTDs and entity declarations (<!DOCTYPE, <!ENTITY) are not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw invalid(`${msg} (line ${line}, column ${col})`, { line, column: col });
  }
  let parsed: unknown[];
  try {
    parsed = parser.parse(xml) as unknown[];
  } catch (e) {
    const message = (e as Error).message;
    throw invalid(/nested/i.test(message) ? `elements nested deeper than ${MAX_XML_DEPTH} levels` : message);
  }
  const roots = parsed.map((n) => toElementTree(n)).filter((e): e is XmlElement => e !== null);
  if (roots.length !== 1) throw invalid(`expected exactly one root element, found ${roots.length}`);
  return roots[0]!;
}

type RawNode = Record<string, unknown>;

/** Converts fast-xml-parser's ordered output into XmlElements, iteratively, enforcing the depth limit. */
function toElementTree(rawRoot: unknown): XmlElement | null {
  const root = convertShallow(rawRoot as RawNode);
  if (!root) return null;
  const stack: Array<{ el: XmlElement; raw: unknown[]; depth: number }> = [{ el: root.el, raw: root.raw, depth: 1 }];
  while (stack.length > 0) {
    const { el, raw, depth } = stack.pop()!;
    if (depth > MAX_XML_DEPTH) throw invalid(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
    let text = '';
    let cdata = '';
    for (const node of raw as RawNode[]) {
      if ('#text' in node) text += String(node['#text']);
      else if ('#cdata' in node) cdata += (node['#cdata'] as RawNode[]).map((t) => String(t['#text'] ?? '')).join('');
      else {
        const child = convertShallow(node);
        if (child) {
          el.children.push(child.el);
          stack.push({ el: child.el, raw: child.raw, depth: depth + 1 });
        }
      }
    }
    el.cdata = cdata.length > 0;
    el.text = el.cdata ? cdata : el.children.length > 0 && text.trim() === '' ? '' : text;
  }
  return root.el;
}

function convertShallow(node: RawNode): { el: XmlElement; raw: unknown[] } | null {
  const name = Object.keys(node).find((k) => k !== ':@' && !k.startsWith('#'));
  if (name === undefined) return null;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) attributes[k] = String(v);
  return { el: { name, attributes, children: [], text: '', cdata: false }, raw: (node[name] ?? []) as unknown[] };
}
