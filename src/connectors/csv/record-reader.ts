import { promises as fs } from 'fs';
import { CsvError, Parser, type CastingContext } from 'csv-parse';
import { parserOptions, type Dialect } from './dialect';
import { LineTracker } from './line-tracker';

/** A place in the file: the byte offset where a record may start and the 1-based line number at that byte. */
export interface Cursor {
  offset: number;
  line: number;
}

/** One record as parsed (fields not yet named), or a record that could not be parsed. `line` is where it starts. */
export type RawRecord =
  | { kind: 'fields'; fields: string[]; line: number; next: Cursor }
  | { kind: 'error'; message: string; line: number; next: Cursor };

export interface RecordBatch {
  records: RawRecord[];
  /** true when the file holds nothing after the last record returned */
  exhausted: boolean;
}

/** csv-parse passes its running counters to on_record; `bytes` is there at run time but missing from its types. */
type RecordContext = CastingContext & { bytes: number };

const CHUNK_BYTES = 64 * 1024;
const MIN_READ_BYTES = 4 * 1024;
const MAX_READ_BYTES = 1024 * 1024;

/**
 * How many bytes to read next: about what the missing records take (plus 10%), when their size is known, so a
 * page does not parse much beyond its last record (what is parsed beyond is thrown away).
 */
function nextReadSize(missingRecords: number, bytesPerRecord: number | undefined): number {
  if (bytesPerRecord === undefined) return CHUNK_BYTES;
  const wanted = Math.ceil(missingRecords * bytesPerRecord * 1.1) + 512;
  return Math.min(MAX_READ_BYTES, Math.max(MIN_READ_BYTES, wanted));
}

/** Resolves with the parser's error instead of rejecting: a parse error is data, not a failure of the read. */
function settle(run: (done: (err?: Error | null) => void) => void): Promise<Error | undefined> {
  return new Promise((resolve) => run((err) => resolve(err ?? undefined)));
}

interface Segment extends RecordBatch {
  /** set when a record could not be parsed (and fewer than `limit` records came before it) */
  failure?: { error: CsvError; /** right after the last good record */ after: Cursor; /** where the bad record starts */ line: number; /** where the parser gave up */ lastLine: number };
}

/**
 * Parses from `cursor` until `limit` records are collected or the file ends, reading bounded chunks (64 KiB, or
 * about what the missing records take, up to 1 MiB) so memory
 * does not depend on the file size. Records are captured synchronously in `on_record` (and dropped from the
 * stream), so those parsed before a parse error in the same chunk are kept.
 */
async function parseSegment(
  handle: fs.FileHandle,
  dialect: Dialect,
  cursor: Cursor,
  limit: number,
  bytesPerRecordHint: number | undefined,
): Promise<Segment> {
  const records: RawRecord[] = [];
  // A record starts on the line after the previous record plus the blank lines csv-parse skipped since.
  const lineTracker = new LineTracker(cursor);
  let lastParserLines = 1; // csv-parse's line counter, only used to see how many lines a bad record spans
  let lastEmptyLines = 0;
  let after = cursor;
  const parser = new Parser({
    ...parserOptions(dialect),
    on_record: (fields: string[], context: CastingContext) => {
      const { lines, empty_lines: emptyLines, bytes } = context as RecordContext;
      const line = after.line + (emptyLines - lastEmptyLines);
      lastParserLines = lines + 1;
      lastEmptyLines = emptyLines;
      const end = cursor.offset + bytes;
      after = { offset: end, line: lineTracker.lineAt(end) };
      records.push({ kind: 'fields', fields, line, next: after });
      return null;
    },
  });
  parser.on('error', () => undefined); // reported through the write/end callbacks below
  let position = cursor.offset;
  for (;;) {
    const bytesPerRecord = records.length > 0 ? (after.offset - cursor.offset) / records.length : bytesPerRecordHint;
    const size = nextReadSize(limit - records.length, bytesPerRecord);
    const buffer = Buffer.allocUnsafe(size); // fresh each time: the parser may keep a slice of the last one
    const { bytesRead } = await handle.read(buffer, 0, size, position);
    lineTracker.feed(position, buffer.subarray(0, bytesRead));
    const failure =
      bytesRead === 0
        ? await settle((done) => parser.end(done))
        : await settle((done) => parser.write(buffer.subarray(0, bytesRead), done));
    if (failure !== undefined && !(failure instanceof CsvError)) throw failure;
    if (failure === undefined && bytesRead === 0 && records.length <= limit) return { records, exhausted: true };
    // Enough records: stop here, even if a parse error came later in the chunk (the next read meets it again)
    if (records.length >= limit) {
      parser.destroy();
      return { records: records.slice(0, limit), exhausted: false };
    }
    if (failure !== undefined) {
      const line = after.line + (Number(failure.empty_lines) - lastEmptyLines);
      const lastLine = after.line + (Number(failure.lines) - lastParserLines);
      return { records, exhausted: false, failure: { error: failure, after, line, lastLine } };
    }
    position += bytesRead;
  }
}

/** The cursor at the start of the line after `line`, scanning forward from `from` (whose line is known). */
async function cursorAfterLine(handle: fs.FileHandle, from: Cursor, line: number): Promise<Cursor | undefined> {
  let newlinesToSkip = line - from.line + 1;
  let position = from.offset;
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) return undefined;
    for (let i = 0; i < bytesRead; i++) {
      if (buffer[i] === 0x0a && --newlinesToSkip === 0) return { offset: position + i + 1, line: line + 1 };
    }
    position += bytesRead;
  }
}

function reasonOf(failure: CsvError, dialect: Dialect): string {
  switch (failure.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return `record longer than ${dialect.maxRecordChars} characters (unterminated quote?)`;
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'unexpected character after a closing quote';
    default:
      return failure.message;
  }
}

/**
 * Reads up to `limit` records from `start`. A record that cannot be parsed becomes an error record and parsing
 * resumes on the next line: an unterminated quote at the end of the file ends the read (everything before it was
 * already returned); any other parse error skips the lines of the bad record.
 */
export async function readRecords(
  file: string,
  dialect: Dialect,
  start: Cursor,
  limit: number,
  /** average record size seen so far (e.g. on the previous page), to size the reads */
  bytesPerRecord?: number,
): Promise<RecordBatch> {
  const handle = await fs.open(file, 'r');
  try {
    const records: RawRecord[] = [];
    let cursor = start;
    while (records.length < limit) {
      const segment = await parseSegment(handle, dialect, cursor, limit - records.length, bytesPerRecord);
      records.push(...segment.records);
      if (!segment.failure) return { records, exhausted: segment.exhausted };
      const { error, after, line, lastLine } = segment.failure;
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        const message = `unterminated quote: the record starting at line ${line} is still inside a quoted value at the end of the file`;
        records.push({ kind: 'error', message, line, next: after });
        return { records, exhausted: true };
      }
      const resume = await cursorAfterLine(handle, after, lastLine);
      const skipped = lastLine > line ? `; lines ${line}-${lastLine} skipped` : '';
      records.push({ kind: 'error', message: `malformed record: ${reasonOf(error, dialect)}${skipped}`, line, next: resume ?? after });
      if (!resume) return { records, exhausted: true };
      cursor = resume;
    }
    return { records, exhausted: false };
  } finally {
    await handle.close();
  }
}
