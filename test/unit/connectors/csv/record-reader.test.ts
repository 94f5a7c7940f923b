import * as path from 'path';
import { csvPropertiesSchema } from '../../../../src/config/connector-properties';
import { dialectOf } from '../../../../src/connectors/csv/dialect';
import { readRecords } from '../../../../src/connectors/csv/record-reader';
import { makeDataDir, removeDir, writeCsv } from './helpers';

describe('readRecords', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeDataDir();
  });
  afterEach(() => removeDir(dataDir));

  const dialect = (maxRecordChars?: number) => dialectOf(csvPropertiesSchema.parse({ filePath: 'f.csv', uidAttribute: 'id' }), maxRecordChars);

  it('bounds a runaway quoted value (memory), reports it and resumes on the next line', async () => {
    writeCsv(dataDir, 'f.csv', `u1,a\nu2,"${'x'.repeat(100)}\nu3,c\n`);
    const { records, exhausted } = await readRecords(path.join(dataDir, 'f.csv'), dialect(50), { offset: 0, line: 1 }, 10);
    expect(exhausted).toBe(true);
    expect(records.map((r) => (r.kind === 'fields' ? [r.line, r.fields] : [r.line, r.message]))).toEqual([
      [1, ['u1', 'a']],
      [2, 'malformed record: record longer than 50 characters (unterminated quote?)'],
      [3, ['u3', 'c']],
    ]);
  });

  it('names the lines a malformed multi-line record spans', async () => {
    writeCsv(dataDir, 'f.csv', `u1,"a\nb" x\nu2,c\n`);
    const { records } = await readRecords(path.join(dataDir, 'f.csv'), dialect(), { offset: 0, line: 1 }, 10);
    expect(records.map((r) => (r.kind === 'fields' ? [r.line, r.fields] : [r.line, r.message]))).toEqual([
      [1, 'malformed record: unexpected character after a closing quote; lines 1-2 skipped'],
      [3, ['u2', 'c']],
    ]);
  });

  it('stops at the limit even when a parse error follows in the same chunk, and meets it on the next read', async () => {
    writeCsv(dataDir, 'f.csv', `u1,a\nu2,"b" x\n`);
    const file = path.join(dataDir, 'f.csv');
    const first = await readRecords(file, dialect(), { offset: 0, line: 1 }, 1);
    expect(first.records).toEqual([{ kind: 'fields', fields: ['u1', 'a'], line: 1, next: { offset: 5, line: 2 } }]);
    expect(first.exhausted).toBe(false);
    const second = await readRecords(file, dialect(), { offset: 5, line: 2 }, 1);
    expect(second.records).toEqual([
      { kind: 'error', line: 2, message: 'malformed record: unexpected character after a closing quote', next: { offset: 14, line: 3 } },
    ]);
  });
});
