import type { ValidationIssue } from '../../errors';
import { childPath } from '../issue-paths';
import { RESOURCE_INFO, RESOURCE_TYPES, type ResourceType } from '../resource-types';
import { decodable, decodeElement } from './decode-element';
import { parseXml } from './parse-xml';

/** One resource read from a dataset, with the path its problems are reported under (e.g. `applications[0]`). */
export interface DatasetEntry {
  type: ResourceType;
  id: string;
  path: string;
  value: Record<string, unknown>;
  /** the element names no option of its type's union (an unknown connectorType): reported for that alone */
  undecodable?: true;
}

const TYPE_BY_SECTION = new Map(RESOURCE_TYPES.map((t) => [RESOURCE_INFO[t].xmlSection, t]));

/**
 * Reads an XML dataset (SPEC.md §7) into JSON resources. Malformed or hostile XML throws (400/413); structural
 * problems of the content are returned as issues, for the caller to report with the schema problems.
 */
export function decodeDataset(xml: string, maxBytes: number): { entries: DatasetEntry[]; issues: ValidationIssue[] } {
  const root = parseXml(xml, maxBytes);
  const issues: ValidationIssue[] = [];
  const entries: DatasetEntry[] = [];
  if (root.name !== 'dataset') {
    issues.push({ path: '', reason: `the root element must be <dataset>, not <${root.name}>` });
    return { entries, issues };
  }
  if (root.text.trim() !== '') issues.push({ path: '', reason: '<dataset> holds elements, not text' });
  const seenSections = new Set<string>();
  for (const section of root.children) {
    const type = TYPE_BY_SECTION.get(section.name);
    if (!type) {
      issues.push({ path: section.name, reason: `unknown section <${section.name}>` });
      continue;
    }
    if (seenSections.has(section.name)) issues.push({ path: section.name, reason: `<${section.name}> appears more than once` });
    seenSections.add(section.name);
    let index = 0;
    for (const el of section.children) {
      const path = childPath(section.name, index++);
      if (el.name !== type) {
        issues.push({ path, reason: `expected <${type}>, found <${el.name}>` });
        continue;
      }
      const { id: idAttribute, ...otherAttributes } = el.attributes;
      for (const name of Object.keys(otherAttributes)) issues.push({ path, reason: `unexpected attribute ${name} on <${type}>` });
      const value = decodeElement({ ...el, attributes: {} }, RESOURCE_INFO[type].schema, path, issues, ['id']) as Record<string, unknown>;
      const idElements = el.children.filter((c) => c.name === 'id');
      const idElement = idElements[0]?.text;
      if (idElements.length > 1) issues.push({ path: childPath(path, 'id'), reason: '<id> appears more than once' });
      if (idAttribute !== undefined && idElement !== undefined && idAttribute !== idElement) {
        issues.push({ path: childPath(path, 'id'), reason: `the id attribute (${idAttribute}) and the <id> element (${idElement}) differ` });
      }
      const id = idAttribute ?? idElement;
      if (id === undefined) issues.push({ path: childPath(path, 'id'), reason: `required: <${type} id="...">` });
      else value.id = id;
      entries.push({ type, id: id ?? '', path, value, ...(decodable(el, RESOURCE_INFO[type].schema) ? {} : { undecodable: true as const }) });
    }
  }
  return { entries, issues };
}
