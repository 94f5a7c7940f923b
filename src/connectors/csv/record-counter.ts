import { promises as fs } from 'fs';
import type { Dialect, RecordDelimiter } from './dialect';
import { readRecords, type Cursor } from './record-reader';

const LF = 0x0a;
const CR = 0x0d;

/** Bytes csv-parse's trim skips at the start of a value (its "trimable" characters). */
const isTrimmable = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0c || b === CR || b === LF;

// Scanner states. The "seen" states wait for one byte of lookahead, which may come in the next chunk.
const PLAIN = 0; // outside quotes
const QUOTED = 1; // inside a quoted value
const QUOTE_SEEN = 2; // inside quotes, a quote was seen: a doubled quote (`""`) or the closing one?
const ESCAPED = 3; // inside quotes, the escape character was seen: the next byte is literal
const CR_SEEN = 4; // outside quotes, `\r` was seen: `\r\n`, a lone `\r` record delimiter, or content?

// Record delimiter, given or auto-detected like csv-parse does: the first line break outside quotes decides.
const UNKNOWN = 0;
const IS_LF = 1;
const IS_CRLF = 2;
const IS_CR = 3;
const DELIMITER_CODES: Record<RecordDelimiter, number> = { '\n': IS_LF, '\r\n': IS_CRLF, '\r': IS_CR };
const DELIMITERS: Array<RecordDelimiter | undefined> = [undefined, '\n', '\r\n', '\r'];

/**
 * Counts records the way csv-parse splits them (same quote, escape, blank-line and line-ending rules, see
 * dialect.ts: relax_quotes, skip_empty_lines, auto-detected record delimiter), without decoding a single value:
 * a byte state machine is several times faster than parsing. The loop keeps its state in locals (hot path:
 * one comparison chain per byte) and stores it back at the end of each chunk.
 */
export class RecordCounter {
  private count = 0;
  private state = PLAIN;
  private recordDelimiter: number;
  private hasContent = false; // the current record has something: it is not a blank line
  private fieldEmpty = true; // nothing but trimmed blanks in the current value yet (a quote here opens quoting)

  constructor(
    private readonly delimiter: number,
    private readonly quote: number,
    private readonly escape: number,
    private readonly trim: boolean,
    recordDelimiter?: RecordDelimiter,
  ) {
    this.recordDelimiter = recordDelimiter ? DELIMITER_CODES[recordDelimiter] : UNKNOWN;
  }

  /** The record delimiter given or detected so far (undefined until a line break is seen outside quotes). */
  get detectedRecordDelimiter(): RecordDelimiter | undefined {
    return DELIMITERS[this.recordDelimiter];
  }

  push(chunk: Buffer): void {
    const { delimiter, quote, escape, trim } = this;
    const escapeIsQuote = escape === quote;
    let { count, state, recordDelimiter, hasContent, fieldEmpty } = this;
    for (let i = 0, n = chunk.length; i < n; i++) {
      const b = chunk[i] as number;
      if (state === QUOTED) {
        if (b === quote) state = escapeIsQuote ? QUOTE_SEEN : PLAIN;
        else if (b === escape) state = ESCAPED;
        continue;
      }
      if (state === ESCAPED) {
        state = QUOTED;
        continue;
      }
      if (state === QUOTE_SEEN) {
        state = b === quote ? QUOTED : PLAIN; // `""` is a literal quote; anything else follows the closing quote
        if (state === QUOTED) continue;
      } else if (state === CR_SEEN) {
        state = PLAIN;
        if (b === LF || recordDelimiter !== IS_CRLF) {
          // `\r\n`, or a lone `\r` in a file whose first line break was a lone `\r`: end of record
          recordDelimiter = b === LF ? IS_CRLF : IS_CR;
          count += hasContent ? 1 : 0;
          hasContent = false;
          fieldEmpty = true;
          if (b === LF) continue;
        } else if (fieldEmpty && !trim) {
          fieldEmpty = false; // a lone `\r` in a `\r\n` file is content
          hasContent = true;
        }
      }
      if (b === LF ? recordDelimiter === UNKNOWN || recordDelimiter === IS_LF : b === CR && recordDelimiter === IS_CR) {
        recordDelimiter = b === LF ? IS_LF : IS_CR;
        count += hasContent ? 1 : 0;
        hasContent = false;
        fieldEmpty = true;
      } else if (b === CR && recordDelimiter !== IS_LF) {
        state = CR_SEEN;
      } else if (b === delimiter) {
        hasContent = true;
        fieldEmpty = true;
      } else if (fieldEmpty) {
        if (b === quote) {
          state = QUOTED;
          hasContent = true;
          fieldEmpty = false;
        } else if (!trim || !isTrimmable(b)) {
          hasContent = true;
          fieldEmpty = false;
        }
      }
    }
    Object.assign(this, { count, state, recordDelimiter, hasContent, fieldEmpty });
  }

  /** Call once at the end of the input; an unterminated quoted record counts (it is reported as an error row). */
  end(): number {
    if (this.state === CR_SEEN && this.recordDelimiter !== IS_CRLF) {
      this.count += this.hasContent ? 1 : 0; // a final lone `\r` ends the last record
      this.hasContent = false;
    } else if (this.state === CR_SEEN && !this.trim) this.hasContent = true; // a lone `\r` in a `\r\n` file is content
    const unterminated = this.state === QUOTED || this.state === ESCAPED;
    this.state = PLAIN;
    return this.count + (unterminated || this.hasContent ? 1 : 0);
  }
}

const CHUNK_BYTES = 256 * 1024;
const FALLBACK_BATCH = 5000;

function singleByte(text: string, encoding: BufferEncoding): number | undefined {
  const bytes = Buffer.from(text, encoding);
  return bytes.length === 1 ? bytes[0] : undefined;
}

/** A byte scanner for the dialect, or undefined when a delimiter, quote or escape takes several bytes. */
export function recordCounterFor(dialect: Dialect): RecordCounter | undefined {
  const delimiter = singleByte(dialect.delimiter, dialect.encoding);
  const quote = singleByte(dialect.quote, dialect.encoding);
  const escape = singleByte(dialect.escape, dialect.encoding);
  if (delimiter === undefined || quote === undefined || escape === undefined) return undefined;
  return new RecordCounter(delimiter, quote, escape, dialect.trim, dialect.recordDelimiter);
}

/**
 * Feeds the file from `offset` to the counter, chunk by chunk, until `enough()` says so or the file ends.
 * Returns whether the end of the file was reached.
 */
export async function scanFile(file: string, offset: number, counter: RecordCounter, enough: () => boolean = () => false): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let position = offset; !enough(); ) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) return true;
      counter.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/** Records from `start` to the end of the file, with constant memory. */
export async function countRecords(file: string, dialect: Dialect, start: Cursor): Promise<number> {
  const counter = recordCounterFor(dialect);
  if (!counter) return countByParsing(file, dialect, start);
  await scanFile(file, start.offset, counter);
  return counter.end();
}

/** Multi-byte delimiter/quote/escape (e.g. `§` in UTF-8): rare, so the slower parser is used in batches. */
async function countByParsing(file: string, dialect: Dialect, start: Cursor): Promise<number> {
  let count = 0;
  for (let cursor = start; ; ) {
    const { records, exhausted } = await readRecords(file, dialect, cursor, FALLBACK_BATCH);
    count += records.length;
    const last = records[records.length - 1];
    if (exhausted || !last) return count;
    cursor = last.next;
  }
}
