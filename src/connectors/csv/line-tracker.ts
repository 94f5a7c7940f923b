import type { Cursor } from './record-reader';

const LF = 0x0a;

/**
 * Line numbers from the bytes themselves: csv-parse's own `lines` counter counts a `\r\n` inside a quoted value
 * (or any `\r\n` in a `\n` file) as two lines. Counts `\n` bytes up to increasing offsets of the bytes fed so far,
 * keeping only the chunks not yet counted through.
 */
export class LineTracker {
  private readonly chunks: Array<{ start: number; bytes: Buffer }> = [];
  private offset: number;
  private line: number;

  constructor(start: Cursor) {
    this.offset = start.offset;
    this.line = start.line;
  }

  feed(start: number, bytes: Buffer): void {
    this.chunks.push({ start, bytes });
  }

  /** The 1-based line at `offset` (not before the previous call's offset). */
  lineAt(offset: number): number {
    for (const { start, bytes } of this.chunks) {
      const from = Math.max(this.offset, start) - start;
      const to = Math.min(offset, start + bytes.length) - start;
      for (let i = from; i < to; i++) {
        i = bytes.indexOf(LF, i);
        if (i < 0 || i >= to) break;
        this.line++;
      }
    }
    this.offset = offset;
    // chunks wholly before `offset` are done with; the last one stays (the parser may still be inside it)
    while (this.chunks.length > 1) {
      const [first] = this.chunks;
      if (!first || first.start + first.bytes.length > offset) break;
      this.chunks.shift();
    }
    return this.line;
  }
}
