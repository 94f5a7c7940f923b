import { appendFileSync, utimesSync } from 'fs';
import * as path from 'path';
import { ConnectorError } from '../../../../src/connectors/types';
import { ACCOUNT, csvConnector, errorsOf, makeDataDir, readAll, removeDir, uidsOf, writeCsv } from './helpers';

/** Rows designed to stress byte offsets: multi-byte UTF-8, quoted newlines and delimiters, CRLF inside quotes. */
function nastyRows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const note = i % 3 === 0 ? `"multi\nline ${i}, with comma"` : i % 3 === 1 ? `"crlf\r\ninside"` : 'plain';
    return `u${i},Zoë-Ōkubo ${'日本'.repeat(i % 4)},${note}`;
  });
}

describe('CSV connector: paging and resuming', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeDataDir();
  });
  afterEach(() => removeDir(dataDir));

  const expectedUids = (count: number) => Array.from({ length: count }, (_, i) => `u${i}`);

  it('pages through a file with page size 7, returning every row exactly once', async () => {
    writeCsv(dataDir, 'users.csv', ['id,name,note', ...nastyRows(100)].join('\n') + '\n');
    const connector = csvConnector(dataDir, { filePath: 'users.csv' });
    const { items, pages } = await readAll(connector, 7);
    expect(uidsOf(items)).toEqual(expectedUids(100));
    expect(errorsOf(items)).toEqual([]);
    expect(pages).toBe(15); // 14 full pages + the last 2 rows
    await expect(connector.count(ACCOUNT)).resolves.toBe(100);
  });

  it('gives the right line numbers across pages (rows with embedded newlines)', async () => {
    writeCsv(dataDir, 'users.csv', ['id,name,note', ...nastyRows(10)].join('\n'));
    const { items } = await readAll(csvConnector(dataDir, { filePath: 'users.csv' }), 3);
    // rows 0,3,6,9 span two lines (quoted \n), rows 1,4,7 too (quoted \r\n)
    expect(items.map((i) => i.line)).toEqual([2, 4, 6, 7, 9, 11, 12, 14, 16, 17]);
  });

  it.each([
    ['utf-8 with BOM', 'utf-8', true],
    ['latin1', 'latin1', false],
  ] as const)('resumes from a saved position with a NEW connector instance (%s)', async (_label, encoding, bom) => {
    const rows = Array.from({ length: 50 }, (_, i) => `u${i};"Hélène; ${i}\nsuite";Ça${'é'.repeat(i % 5)}`);
    const text = ['id;name;city', ...rows].join('\r\n') + '\r\n';
    const body = Buffer.from(text, encoding === 'latin1' ? 'latin1' : 'utf8');
    writeCsv(dataDir, 'users.csv', bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
    const props = { filePath: 'users.csv', delimiter: ';', encoding };

    const first = csvConnector(dataDir, props);
    const page1 = await first.readPage(ACCOUNT, null, 20);
    const page2 = await first.readPage(ACCOUNT, page1.next, 5);
    await first.close();
    const saved = JSON.parse(JSON.stringify(page2.next)) as string; // as stored by a workflow

    const second = csvConnector(dataDir, props); // a new process, as far as the connector knows
    const rest = await second.readPage(ACCOUNT, saved, 1000);
    expect(rest.next).toBeNull();
    expect(uidsOf(rest.items)).toEqual(expectedUids(50).slice(25));
    expect(rest.items[0]).toMatchObject({ ok: true, line: 52, account: { attributes: { name: 'Hélène; 25\nsuite', city: 'Ça' } } });
    expect(uidsOf([...page1.items, ...page2.items, ...rest.items])).toEqual(expectedUids(50));
  });

  it('seeks to the byte offset instead of re-reading: the position names offset and line', async () => {
    writeCsv(dataDir, 'users.csv', 'id,name\nu1,é\nu2,b\n');
    const page = await csvConnector(dataDir, { filePath: 'users.csv' }).readPage(ACCOUNT, null, 1);
    expect(JSON.parse(page.next as string)).toMatchObject({ v: 1, offset: 'id,name\nu1,é\n'.length + 1, line: 3 });
  });

  it('marks the last page with next: null when the file ends exactly at a page boundary', async () => {
    writeCsv(dataDir, 'users.csv', 'id\nu1\nu2\n');
    const connector = csvConnector(dataDir, { filePath: 'users.csv' });
    const page = await connector.readPage(ACCOUNT, null, 2);
    expect(uidsOf(page.items)).toEqual(['u1', 'u2']);
    expect(page.next).toBeNull();
  });

  it('continues after a per-row error at a page boundary', async () => {
    writeCsv(dataDir, 'users.csv', 'id,name\nu1,a\nu2,"b" x\nu3,c\nu4\nu5,e\n');
    const { items } = await readAll(csvConnector(dataDir, { filePath: 'users.csv' }), 1);
    expect(uidsOf(items)).toEqual(['u1', 'u3', 'u5']);
    expect(errorsOf(items).map((e) => e.line)).toEqual([3, 5]);
  });

  it('refuses a position once the file has changed', async () => {
    writeCsv(dataDir, 'users.csv', 'id\nu1\nu2\nu3\n');
    const connector = csvConnector(dataDir, { filePath: 'users.csv' });
    const page = await connector.readPage(ACCOUNT, null, 1);
    appendFileSync(path.join(dataDir, 'users.csv'), 'u4\n');
    utimesSync(path.join(dataDir, 'users.csv'), new Date(), new Date(Date.now() + 5000));
    const err = await csvConnector(dataDir, { filePath: 'users.csv' }).readPage(ACCOUNT, page.next, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ kind: 'permanent', message: 'the CSV file changed since this read position was saved: restart the read from the beginning' });
  });

  it.each(['not json', '{"v":1,"offset":-1,"line":1}', '{"v":2,"offset":0,"line":1}'])('rejects the malformed position %j', async (position) => {
    writeCsv(dataDir, 'users.csv', 'id\nu1\n');
    const err = await csvConnector(dataDir, { filePath: 'users.csv' }).readPage(ACCOUNT, position, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).kind).toBe('permanent');
    expect((err as ConnectorError).message).toMatch(/^invalid CSV read position: /);
  });

  it('reads rows larger than a 64 KiB read chunk and keeps offsets right across chunks', async () => {
    const big = 'x'.repeat(70_000);
    writeCsv(dataDir, 'users.csv', `id,blob\nu1,"${big}"\nu2,"é${big}\n"\nu3,z\n`);
    const { items } = await readAll(csvConnector(dataDir, { filePath: 'users.csv' }), 1);
    expect(uidsOf(items)).toEqual(['u1', 'u2', 'u3']);
    expect(items.map((i) => i.line)).toEqual([2, 3, 5]);
  });
});
