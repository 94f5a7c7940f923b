import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorRepresentation, type ErrorRepresentation } from '../../../src/errors';
import { csvCell, writeErrorReport } from '../../../src/tasks/error-report';

async function* from(errors: ErrorRepresentation[]): AsyncGenerator<ErrorRepresentation> {
  yield* errors;
}

describe('error report of a run', () => {
  it('quotes what CSV needs quoted and defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('')).toBe('');
  });

  it('writes the configured columns in their order, one row per error, from the error and what it names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
    const file = path.join(dir, 'run-errors.csv');
    const errors = [
      errorRepresentation('SOURCE_ROW_ERROR', 'Duplicate uid E1001, first seen at line 2', { uid: 'E1001', line: 9, shadowId: 'sh-1', shadowKind: 'ACCOUNT', objectClassId: '__ACCOUNT__', idmObjectId: 'o-7', idmObjectKind: 'IDENTITY' }),
      errorRepresentation('CONNECTOR_ERROR', 'LDAP error, "busy"', { uid: '=1+1' }),
    ];
    const rows = await writeErrorReport(file, ['ERROR_LABEL', 'SHADOW_ID', 'SHADOW_OBJECT_ID', 'SHADOW_KIND', 'SHADOW_OBJECT_CLASS', 'IDM_OBJECT_ID', 'IDM_OBJECT_KIND', 'ERROR_ID', 'ERROR_DESCRIPTION'], from(errors));
    expect(rows).toBe(2);
    expect(readFileSync(file, 'utf8').split('\r\n')).toEqual([
      'ERROR_LABEL,SHADOW_ID,SHADOW_OBJECT_ID,SHADOW_KIND,SHADOW_OBJECT_CLASS,IDM_OBJECT_ID,IDM_OBJECT_KIND,ERROR_ID,ERROR_DESCRIPTION',
      'SOURCE_ROW_ERROR,E1001,sh-1,ACCOUNT,__ACCOUNT__,o-7,IDENTITY,SYNC-E0001003,"Duplicate uid E1001, first seen at line 2"',
      `CONNECTOR_ERROR,'=1+1,,,,,,SYNC-E0001002,"LDAP error, ""busy"""`,
      '',
    ]);
    expect(readdirSync(dir)).toEqual(['run-errors.csv']);
  });

  it('a run without errors gets a report with its header only; a rewrite replaces the report whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
    const file = path.join(dir, 'r.csv');
    await writeErrorReport(file, ['ERROR_ID'], from([errorRepresentation('SOURCE_ROW_ERROR', 'x')]));
    expect(await writeErrorReport(file, ['ERROR_ID'], from([]))).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('ERROR_ID\r\n');
  });

  it('a failing error source leaves no report and no partial file behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'));
    async function* broken(): AsyncGenerator<ErrorRepresentation> {
      yield errorRepresentation('SOURCE_ROW_ERROR', 'x');
      throw new Error('database gone');
    }
    await expect(writeErrorReport(path.join(dir, 'r.csv'), ['ERROR_ID'], broken())).rejects.toThrow('database gone');
    expect(readdirSync(dir)).toEqual([]);
  });
});
