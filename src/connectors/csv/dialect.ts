import type { Options } from 'csv-parse';
import type { CsvProperties } from '../../config/connector-properties';

export type RecordDelimiter = '\n' | '\r\n' | '\r';

/** How the bytes of a CSV file are to be read: the parsing half of CsvProperties. */
export interface Dialect {
  /**
   * The file's line ending, detected once from the start of the file. csv-parse would auto-detect it at the
   * start of every parse, and a read resumed mid-file could then guess differently (a stray `\r\n` in a `\n` file).
   */
  recordDelimiter?: RecordDelimiter;
  delimiter: string;
  quote: string;
  escape: string;
  encoding: BufferEncoding;
  trim: boolean;
  /**
   * Upper bound on the characters of one record. Without it an unterminated quote early in a large file would
   * swallow the rest of the file into one field, and memory would grow with the file.
   */
  maxRecordChars: number;
}

export const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;

export function dialectOf(props: CsvProperties, maxRecordChars = DEFAULT_MAX_RECORD_CHARS): Dialect {
  return {
    delimiter: props.delimiter,
    quote: props.quote,
    escape: props.escape,
    encoding: props.encoding === 'latin1' ? 'latin1' : 'utf8',
    trim: props.trim,
    maxRecordChars,
  };
}

/**
 * csv-parse options shared by every read. Records stay arrays (`columns: false`): column names are applied by
 * the row mapper, which also reports a wrong column count as a per-row error instead of failing the stream
 * (`relax_column_count`). `relax_quotes` keeps a stray quote inside an unquoted value as a literal character,
 * as spreadsheets do. The BOM is skipped by the layout reader, never here: a read may start mid-file.
 */
export function parserOptions(dialect: Dialect): Options {
  return {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    escape: dialect.escape,
    encoding: dialect.encoding,
    // csv-parse's trim also accepts blanks around quoted values (`a, "b"`); values themselves are trimmed by the mapper
    trim: dialect.trim,
    bom: false,
    columns: false,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: dialect.maxRecordChars,
    ...(dialect.recordDelimiter && { record_delimiter: dialect.recordDelimiter }),
  };
}
