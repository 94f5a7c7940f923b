import { promises as fs } from 'fs';
import type { Dialect } from './dialect';
import { readRecords, type Cursor } from './record-reader';

const LF = 0x0a;
const CR = 0x0d;
/** Bytes csv-parse's trim skips at the start of a value (its "trimable" characters). */
const TRIMMABLE = new Set([0x20, 0x09, 0x0c, CR, LF]);

type RecordDelimiter = 'LF' | 'CRLF' | 'CR' | undefined;

/**
 * Counts records the way csv-parse splits them (same quote, escape, blank-line and line-ending rules, see
 * dialect.ts: relax_quotes, skip_empty_lines, auto-detected record delimiter), without decoding a single value:
 * a byte state machine is several times faster than parsing. State survives chunk boundaries, so a
 * lookahead byte (`""`, `\r\n`, an escape) split across two chunks is handled.
 */
export class RecordCounter {
  count = 0;
  private quoting = false;
  private pendingQuote = false; // in a quoted value, a quote was seen: escaped (`""`) or closing?
  private skipNext = false; // in a quoted value, the escape character was seen
  private pendingCR = false; // outside quotes, `\r` was seen: `\r\n`, a lone `\r` delimiter, or content?
  private delimiterKind: RecordDelimiter;
  private hasContent = false;
  private fieldEmpty = true;

  constructor(
    private readonly delimiter: number,
    private readonly quote: number,
    private readonly escape: number,
    private readonly trim: boolean,
  ) {}

  push(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i] as number);
  }

  /** Call once at the end of the input; an unterminated quoted record counts (it is reported as an error row). */
  end(): number {
    if (this.pendingQuote) this.quoting = false;
    this.pendingQuote = false;
    if (this.pendingCR) this.resolveLoneCR();
    if (this.quoting || this.hasContent) this.count++;
    this.hasContent = false;
    return this.count;
  }

  private byte(b: number): void {
    if (this.skipNext) {
      this.skipNext = false;
      return;
    }
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (b === this.quote) return; // doubled quote: a literal quote, still inside the value
      this.quoting = false;
    }
    if (this.pendingCR) {
      this.pendingCR = false;
      if (b === LF) {
        this.delimiterKind ??= 'CRLF';
        this.endRecord();
        return;
      }
      this.resolveLoneCR();
    }
    if (this.quoting) {
      if (b === this.escape && this.escape !== this.quote) this.skipNext = true;
      else if (b === this.quote) {
        if (this.escape === this.quote) this.pendingQuote = true;
        else this.quoting = false;
      }
      return;
    }
    if (b === LF) {
      if (this.delimiterKind === 'CR' || this.delimiterKind === 'CRLF') this.content(b);
      else {
        this.delimiterKind = 'LF';
        this.endRecord();
      }
    } else if (b === CR) {
      if (this.delimiterKind === 'CR') this.endRecord();
      else if (this.delimiterKind === 'LF') this.content(b);
      else this.pendingCR = true;
    } else if (b === this.delimiter) {
      this.hasContent = true;
      this.fieldEmpty = true;
    } else if (b === this.quote && this.fieldEmpty) {
      this.quoting = true;
      this.hasContent = true;
      this.fieldEmpty = false;
    } else this.content(b);
  }

  /** A `\r` not followed by `\n`: the record delimiter if none is known yet (old Mac files), else content. */
  private resolveLoneCR(): void {
    if (this.delimiterKind === undefined || this.delimiterKind === 'CR') {
      this.delimiterKind = 'CR';
      this.endRecord();
    } else this.content(CR);
  }

  private content(b: number): void {
    if (this.trim && this.fieldEmpty && TRIMMABLE.has(b)) return;
    this.fieldEmpty = false;
    this.hasContent = true;
  }

  private endRecord(): void {
    if (this.hasContent) this.count++;
    this.hasContent = false;
    this.fieldEmpty = true;
  }
}

const CHUNK_BYTES = 256 * 1024;
const FALLBACK_BATCH = 5000;

function singleByte(text: string, encoding: BufferEncoding): number | undefined {
  const bytes = Buffer.from(text, encoding);
  return bytes.length === 1 ? bytes[0] : undefined;
}

/** Records from `start` to the end of the file, with constant memory. */
export async function countRecords(file: string, dialect: Dialect, start: Cursor): Promise<number> {
  const delimiter = singleByte(dialect.delimiter, dialect.encoding);
  const quote = singleByte(dialect.quote, dialect.encoding);
  const escape = singleByte(dialect.escape, dialect.encoding);
  if (delimiter === undefined || quote === undefined || escape === undefined) return countByParsing(file, dialect, start);
  const counter = new RecordCounter(delimiter, quote, escape, dialect.trim);
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let position = start.offset; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) return counter.end();
      counter.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
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
