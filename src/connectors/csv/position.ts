import type { Position } from '../types';
import { permanentError } from './errors';
import type { Cursor } from './record-reader';

/** Identifies the file content a position belongs to: a byte offset means nothing in a replaced file. */
export interface FileFingerprint {
  size: number;
  mtimeMs: number;
}

/**
 * Position format (JSON): `{"v":1,"offset":<byte offset of the next record>,"line":<its 1-based line>,
 * "size":<file size>,"mtimeMs":<file mtime>}`. Offset and line let a new process seek straight to the next
 * record; size and mtime detect that the file changed since, in which case resuming is refused.
 */
interface PositionData extends Cursor, FileFingerprint {
  v: 1;
}

export function encodePosition(cursor: Cursor, file: FileFingerprint): Position {
  const data: PositionData = { v: 1, offset: cursor.offset, line: cursor.line, size: file.size, mtimeMs: file.mtimeMs };
  return JSON.stringify(data);
}

const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/** The cursor of a position, provided it was issued for this very file content. */
export function decodePosition(position: Position, file: FileFingerprint): Cursor {
  let data: Partial<PositionData>;
  try {
    data = JSON.parse(position) as Partial<PositionData>;
  } catch {
    throw permanentError(`invalid CSV read position: not JSON (${position.slice(0, 80)})`);
  }
  if (typeof data !== 'object' || data === null || data.v !== 1 || !isCount(data.offset, 0) || !isCount(data.line, 1))
    throw permanentError(`invalid CSV read position: ${position.slice(0, 200)}`);
  if (data.size !== file.size || data.mtimeMs !== file.mtimeMs || data.offset > file.size)
    throw permanentError('the CSV file changed since this read position was saved: restart the read from the beginning');
  return { offset: data.offset, line: data.line };
}
