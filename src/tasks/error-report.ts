import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ErrorReportColumn } from '../config/enums';
import type { ErrorRepresentation } from '../errors';
import { writeAtomically } from './atomic-file';

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const property = (name: string) => (e: ErrorRepresentation) => text(e.properties[name]);

/** Where each column of SPEC.md §3.4 comes from: the entry's error and what it names (engine/outcome.ts ErrorSubject). */
const COLUMN_VALUE: Record<ErrorReportColumn, (e: ErrorRepresentation) => string> = {
  SHADOW_OBJECT_ID: property('shadowId'),
  SHADOW_KIND: property('shadowKind'),
  SHADOW_ID: property('uid'),
  SHADOW_OBJECT_CLASS: property('objectClassId'),
  IDM_OBJECT_ID: property('idmObjectId'),
  IDM_OBJECT_KIND: property('idmObjectKind'),
  ERROR_ID: (e) => e.errorId,
  ERROR_LABEL: (e) => e.label,
  ERROR_DESCRIPTION: (e) => e.description,
};

/**
 * One CSV cell (RFC 4180). Values come from source rows and directories, so a cell a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'` (the OWASP CSV-injection defence).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Writes the error report of a run: a header of the configured columns, then one row per error, streamed (a run's
 * errors are read a page at a time), atomically (a retried activity rewrites the whole report). Returns the number of
 * rows.
 */
export async function writeErrorReport(file: string, columns: readonly ErrorReportColumn[], errors: AsyncIterable<ErrorRepresentation>): Promise<number> {
  let rows = 0;
  await writeAtomically(file, async (partial) => {
    const out = createWriteStream(partial, { encoding: 'utf8' });
    try {
      const write = async (line: string) => {
        if (!out.write(`${line}\r\n`)) await once(out, 'drain');
      };
      await write(columns.join(','));
      for await (const e of errors) {
        await write(columns.map((c) => csvCell(COLUMN_VALUE[c](e))).join(','));
        rows++;
      }
      out.end();
      await once(out, 'finish');
    } catch (err) {
      // The file is opened asynchronously: wait until the stream has closed it, or it could appear after the
      // caller removed the partial file.
      out.destroy();
      if (!out.closed) await once(out, 'close');
      throw err;
    }
  });
  return rows;
}
