import { RESOURCE_INFO, XML_SECTION_ORDER, type ResourceType } from '../resource-types';
import { encodeElement } from './encode-element';

/** Stored metadata is not part of a dataset: an import into another tenant must give the same export. */
const NOT_EXPORTED = ['id', 'createdAt', 'updatedAt', 'version'];

/**
 * Writes the XML dataset (SPEC.md §7). Deterministic: sections in SPEC order, each always present, resources in the
 * order given (the store lists them by id), properties in schema order.
 */
export function encodeDataset(resources: Record<ResourceType, ReadonlyArray<Record<string, unknown> & { id: string }>>): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<dataset>'];
  for (const type of XML_SECTION_ORDER) {
    const { xmlSection, schema } = RESOURCE_INFO[type];
    const list = resources[type];
    if (list.length === 0) {
      lines.push(`  <${xmlSection}/>`);
      continue;
    }
    lines.push(`  <${xmlSection}>`);
    for (const r of list) encodeElement(type, r, schema, 2, lines, { id: r.id }, NOT_EXPORTED);
    lines.push(`  </${xmlSection}>`);
  }
  lines.push('</dataset>', '');
  return lines.join('\n');
}
