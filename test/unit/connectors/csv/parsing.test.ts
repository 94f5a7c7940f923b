import { ConnectorError } from '../../../../src/connectors/types';
import { attributesOf, csvConnector, errorsOf, makeDataDir, readAll, removeDir, uidsOf, writeCsv } from './helpers';

describe('CSV connector: parsing nasty files', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = makeDataDir();
  });
  afterEach(() => removeDir(dataDir));

  async function read(content: string | Buffer, props: Record<string, unknown> = {}) {
    writeCsv(dataDir, 'users.csv', content);
    const connector = csvConnector(dataDir, { filePath: 'users.csv', ...props });
    const { items } = await readAll(connector);
    // count() must agree with what a read returns, on every file
    await expect(connector.count('__ACCOUNT__')).resolves.toBe(items.length);
    return items;
  }

  it('maps columns and built-ins, name defaulting to the uid', async () => {
    const items = await read('id,first,last\nu1,Ada,Lovelace\n');
    expect(items).toEqual([
      {
        ok: true,
        line: 2,
        account: {
          uid: 'u1',
          name: 'u1',
          attributes: { id: 'u1', first: 'Ada', last: 'Lovelace', __UID__: 'u1', __objectId__: 'u1', __NAME__: 'u1' },
        },
      },
    ]);
  });

  it('takes __NAME__ from nameAttribute', async () => {
    const items = await read('id,login\nu1,ada\n', { nameAttribute: 'login' });
    expect(items[0]).toMatchObject({ ok: true, account: { uid: 'u1', name: 'ada', attributes: { __NAME__: 'ada', __UID__: 'u1' } } });
  });

  it('ignores a UTF-8 BOM (the first column name is clean)', async () => {
    const items = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,mail\nu1,a@x.org\n')]));
    expect(attributesOf(items)).toEqual([{ id: 'u1', mail: 'a@x.org', __UID__: 'u1', __objectId__: 'u1', __NAME__: 'u1' }]);
  });

  it("reads ';' delimited files with quoted delimiters and quoted newlines, numbering lines from the file", async () => {
    const content = 'id;title;note\nu1;"Dev; Ops";"line one\nline two"\nu2;"say ""hi""";plain\n';
    const items = await read(content, { delimiter: ';' });
    expect(items.map((i) => i.line)).toEqual([2, 4]);
    expect(attributesOf(items).map((a) => [a.title, a.note])).toEqual([
      ['Dev; Ops', 'line one\nline two'],
      ['say "hi"', 'plain'],
    ]);
  });

  it('decodes latin1 accents', async () => {
    const items = await read(Buffer.from('id;nom\nu1;Hélène Müller-Ñúñez\nu2;Françoise\n', 'latin1'), { delimiter: ';', encoding: 'latin1' });
    expect(attributesOf(items).map((a) => a.nom)).toEqual(['Hélène Müller-Ñúñez', 'Françoise']);
  });

  it('decodes multi-byte UTF-8 and CRLF line endings', async () => {
    const items = await read('id,name\r\nu1,Zoë 日本\r\nu2,"Ωmega\r\nnext"\r\nu3,x\r\n');
    expect(attributesOf(items).map((a) => a.name)).toEqual(['Zoë 日本', 'Ωmega\r\nnext', 'x']);
    expect(items.map((i) => i.line)).toEqual([2, 3, 5]);
  });

  it('skips blank lines while keeping real line numbers', async () => {
    const items = await read('\nid,name\n\nu1,a\n\n\nu2,b\n   \nu3,c\n\n');
    expect(uidsOf(items)).toEqual(['u1', 'u2', 'u3']);
    expect(items.map((i) => i.line)).toEqual([4, 7, 9]);
  });

  it('reports ragged rows per row, naming the line, and keeps the other rows', async () => {
    const items = await read('id,name,mail\nu1,a,a@x\nu2,b\nu3,c,c@x,extra\nu4,d,d@x\n');
    expect(uidsOf(items)).toEqual(['u1', 'u4']);
    expect(errorsOf(items)).toEqual([
      { ok: false, line: 3, uid: 'u2', name: 'u2', message: 'line 3: expected 3 columns, got 2' },
      { ok: false, line: 4, uid: 'u3', name: 'u3', message: 'line 4: expected 3 columns, got 4' },
    ]);
  });

  it('reports an unterminated quote at the end of the file without losing earlier rows', async () => {
    const items = await read('id,name\nu1,a\nu2,b\n\nu3,"never closed\nu4,d\n');
    expect(uidsOf(items)).toEqual(['u1', 'u2']);
    expect(errorsOf(items)).toEqual([
      {
        ok: false,
        line: 5,
        message: 'line 5: unterminated quote: the record starting at line 5 is still inside a quoted value at the end of the file',
      },
    ]);
  });

  it('reports a character after a closing quote and resumes on the next line', async () => {
    const items = await read('id,name\nu1,"a" x\nu2,b\n');
    expect(uidsOf(items)).toEqual(['u2']);
    expect(errorsOf(items)).toEqual([{ ok: false, line: 2, message: 'line 2: malformed record: unexpected character after a closing quote' }]);
  });

  it('keeps a stray quote inside an unquoted value as a character', async () => {
    const items = await read('id,name\nu1,O"Brien\n');
    expect(attributesOf(items)[0]?.name).toBe('O"Brien');
  });

  it('reports a missing uid value and a missing name value per row', async () => {
    const items = await read('id,login,mail\n,ada,a@x\nu2,,b@x\nu3,c,\n', { nameAttribute: 'login' });
    expect(errorsOf(items)).toEqual([
      { ok: false, line: 2, name: 'ada', message: "line 2: no value in the uid column 'id'" },
      { ok: false, line: 3, uid: 'u2', message: "line 3: no value in the name column 'login'" },
    ]);
    // an empty cell means no value: the attribute is omitted
    expect(attributesOf(items.slice(2))).toEqual([{ id: 'u3', login: 'c', __UID__: 'u3', __objectId__: 'u3', __NAME__: 'c' }]);
  });

  it('splits multi-valued cells into arrays, dropping empty parts', async () => {
    const items = await read('id,groups,mail\nu1,"admins| staff |",a@x|b@x\nu2,solo,\nu3,,\n', { multiValuedAttributes: ['groups'] });
    expect(attributesOf(items).map((a) => a.groups)).toEqual([['admins', 'staff'], ['solo'], undefined]);
    expect(attributesOf(items)[0]?.mail).toBe('a@x|b@x');
  });

  it('honours a custom multi-value delimiter', async () => {
    const items = await read('id,roles\nu1,a##b##c\n', { multiValuedAttributes: ['roles'], multiValueDelimiter: '##' });
    expect(attributesOf(items)[0]?.roles).toEqual(['a', 'b', 'c']);
  });

  it('reads a file without header using explicit columns', async () => {
    const items = await read('u1,Ada\nu2,Bob\n', { header: false, columns: ['id', 'name'] });
    expect(items.map((i) => i.line)).toEqual([1, 2]);
    expect(attributesOf(items).map((a) => [a.id, a.name])).toEqual([
      ['u1', 'Ada'],
      ['u2', 'Bob'],
    ]);
  });

  it('lets explicit columns rename the header line', async () => {
    const items = await read('ID,Full Name\nu1,Ada\n', { columns: ['id', 'name'] });
    expect(attributesOf(items).map((a) => [a.id, a.name])).toEqual([['u1', 'Ada']]);
  });

  it('trims values and column names by default', async () => {
    const items = await read(' id , name \n u1 , "  Ada  " \n');
    expect(attributesOf(items)).toEqual([{ id: 'u1', name: 'Ada', __UID__: 'u1', __objectId__: 'u1', __NAME__: 'u1' }]);
  });

  it('keeps blanks with trim off', async () => {
    const items = await read('id,name\nu1, Ada \nu2,"  "\n', { trim: false });
    expect(attributesOf(items).map((a) => a.name)).toEqual([' Ada ', '  ']);
  });

  it('honours a custom quote and a backslash escape', async () => {
    const items = await read("id,name\nu1,'it\\'s, here'\n", { quote: "'", escape: '\\' });
    expect(attributesOf(items)[0]?.name).toBe("it's, here");
  });

  it('ignores values of unnamed header columns (trailing delimiter)', async () => {
    const items = await read('id,name,\nu1,Ada,\n');
    expect(attributesOf(items)).toEqual([{ id: 'u1', name: 'Ada', __UID__: 'u1', __objectId__: 'u1', __NAME__: 'u1' }]);
  });

  it('fails the read with a permanent error on duplicate header names', async () => {
    writeCsv(dataDir, 'dup.csv', 'id,mail,mail\nu1,a,b\n');
    const err = await csvConnector(dataDir, { filePath: 'dup.csv' }).readPage('__ACCOUNT__', null, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).message).toBe("duplicate column 'mail' in the header of 'dup.csv'");
  });
});
