import type { CsvProperties } from '../../config/connector-properties';
import { NAME, OBJECT_ID, UID, type Attributes, type AttributeValue, type ReadItem } from '../types';
import { permanentError } from './errors';
import type { RawRecord } from './record-reader';

export type RowMapper = (record: RawRecord) => ReadItem;

/** Index of a required column, or a permanent error naming it and listing the columns that do exist. */
export function requiredColumn(columns: string[], column: string, role: string, filePath: string): number {
  const index = columns.indexOf(column);
  if (index < 0)
    throw permanentError(
      `${role} column '${column}' not found in '${filePath}' (columns: ${columns.filter((c) => c !== '').join(', ') || 'none'})`,
    );
  return index;
}

/**
 * Turns parsed records into accounts. An empty cell means "no value": the attribute is OMITTED from the account
 * (not set to null), as LDAP omits attributes without values, so both connectors look alike to the engine.
 * A multi-valued column always yields an array (of one value, possibly), never a scalar.
 */
export function createRowMapper(props: CsvProperties, columns: string[]): RowMapper {
  const nameAttribute = props.nameAttribute ?? props.uidAttribute;
  const uidIndex = requiredColumn(columns, props.uidAttribute, 'uid', props.filePath);
  const nameIndex = requiredColumn(columns, nameAttribute, 'name', props.filePath);
  const multiValued = new Set(props.multiValuedAttributes);
  const { trim, multiValueDelimiter } = props;

  const cell = (fields: string[], index: number): string | undefined => {
    const raw = fields[index];
    const value = raw !== undefined && trim ? raw.trim() : raw;
    return value === '' ? undefined : value;
  };
  const valueOf = (column: string, value: string): AttributeValue | undefined => {
    if (!multiValued.has(column)) return value;
    const values = value.split(multiValueDelimiter).map((part) => (trim ? part.trim() : part)).filter((part) => part !== '');
    return values.length > 0 ? values : undefined;
  };

  return (record) => {
    const { line } = record;
    if (record.kind === 'error') return { ok: false, line, message: `line ${line}: ${record.message}` };
    const { fields } = record;
    const uid = cell(fields, uidIndex);
    const name = cell(fields, nameIndex);
    const known = { ...(uid !== undefined && { uid }), ...(name !== undefined && { name }) };
    if (fields.length !== columns.length)
      return { ok: false, line, ...known, message: `line ${line}: expected ${columns.length} columns, got ${fields.length}` };
    if (uid === undefined) return { ok: false, line, ...known, message: `line ${line}: no value in the uid column '${props.uidAttribute}'` };
    if (name === undefined) return { ok: false, line, ...known, message: `line ${line}: no value in the name column '${nameAttribute}'` };
    const attributes: Attributes = {};
    columns.forEach((column, index) => {
      const text = column === '' ? undefined : cell(fields, index);
      const value = text === undefined ? undefined : valueOf(column, text);
      if (value !== undefined) attributes[column] = value;
    });
    attributes[UID] = uid;
    attributes[OBJECT_ID] = uid;
    attributes[NAME] = name;
    return { ok: true, line, account: { uid, name, attributes } };
  };
}
