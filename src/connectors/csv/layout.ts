import { promises as fs } from 'fs';
import type { CsvProperties } from '../../config/connector-properties';
import type { Dialect, RecordDelimiter } from './dialect';
import { permanentError } from './errors';
import { recordCounterFor, scanFile } from './record-counter';
import { readRecords, type Cursor } from './record-reader';

/** Column names and where data rows begin: all a read needs besides a position, re-read cheaply at any time. */
export interface Layout {
  /** the file's line ending (undefined for a file without any line break) */
  recordDelimiter?: RecordDelimiter;
  /** one name per column; '' for an unnamed header cell, whose values are ignored */
  columns: string[];
  dataStart: Cursor;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Length of a UTF-8 byte order mark at the start of the file (0 or 3); it is skipped, never part of a name. */
async function bomLength(file: string): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(UTF8_BOM.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === UTF8_BOM.length && head.equals(UTF8_BOM) ? UTF8_BOM.length : 0;
  } finally {
    await handle.close();
  }
}

function checkUnique(columns: string[], where: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    if (column !== '' && seen.has(column)) throw permanentError(`duplicate column '${column}' in the ${where}`);
    seen.add(column);
  }
}

/**
 * The first line break outside quotes, as csv-parse would detect it when reading from the start of the file.
 * Stops as soon as it is known (the first line, normally); left undefined (csv-parse detects it) for multi-byte
 * delimiters or quotes.
 */
async function detectRecordDelimiter(file: string, offset: number, dialect: Dialect): Promise<RecordDelimiter | undefined> {
  if (dialect.recordDelimiter) return dialect.recordDelimiter;
  const counter = recordCounterFor(dialect);
  if (!counter) return undefined;
  await scanFile(file, offset, counter, () => counter.detectedRecordDelimiter !== undefined);
  if (counter.detectedRecordDelimiter === undefined) counter.end(); // a final lone `\r` is a line break too
  return counter.detectedRecordDelimiter;
}

/**
 * Reads the header line (only the first record is parsed). With `header: true` and explicit `columns`, the
 * header line is skipped and `columns` name the values.
 */
export async function readLayout(file: string, props: CsvProperties, fileDialect: Dialect): Promise<Layout> {
  const start: Cursor = { offset: await bomLength(file), line: 1 };
  const recordDelimiter = await detectRecordDelimiter(file, start.offset, fileDialect);
  const dialect = { ...fileDialect, recordDelimiter };
  if (!props.header) {
    if (!props.columns) throw permanentError('columns is required when header is false');
    return { recordDelimiter, columns: props.columns, dataStart: start };
  }
  const { records } = await readRecords(file, dialect, start, 1);
  const first = records[0];
  if (!first) throw permanentError(`CSV file '${props.filePath}' is empty: no header line`);
  if (first.kind === 'error') throw permanentError(`CSV file '${props.filePath}': header line ${first.line}: ${first.message}`);
  const columns = props.columns ?? first.fields.map((name) => (dialect.trim ? name.trim() : name));
  checkUnique(columns, `header of '${props.filePath}'`);
  return { recordDelimiter, columns, dataStart: first.next };
}
