import { RecordCounter } from '../../../../src/connectors/csv/record-counter';
import { ACCOUNT, csvConnector, makeDataDir, readAll, removeDir, writeCsv } from './helpers';

const COMMA = 0x2c;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

function count(text: string, options: { escape?: number; trim?: boolean; chunk?: number } = {}): number {
  const counter = new RecordCounter(COMMA, DQUOTE, options.escape ?? DQUOTE, options.trim ?? true);
  const bytes = Buffer.from(text);
  const size = options.chunk ?? bytes.length;
  for (let i = 0; i < bytes.length; i += size) counter.push(bytes.subarray(i, i + size));
  return counter.end();
}

describe('RecordCounter', () => {
  it.each([
    ['plain LF', 'a,b\nc,d\n', 2],
    ['no trailing newline', 'a,b\nc,d', 2],
    ['CRLF', 'a,b\r\nc,d\r\n', 2],
    ['CR only', 'a,b\rc,d\r', 2],
    ['blank lines', '\n\na\n\n\nb\n\n', 2],
    ['whitespace-only lines are blank when trimming', 'a\n   \n\t\nb\n', 2],
    ['quoted newlines', 'a,"x\ny\nz"\nb,c\n', 2],
    ['quoted CRLF', 'a,"x\r\ny"\r\nb\r\n', 2],
    ['doubled quotes', 'a,"say ""hi""\n"\nb\n', 2],
    ['stray quote in an unquoted value', 'a,O"Brien\nb\n', 2],
    ['unterminated quote counts as one record', 'a\n"never\nclosed\n', 2],
    ['an empty quoted value is a record', '""\n', 1],
    ['a lone delimiter is a record', ',\n', 1],
    ['a lone \\n in a CRLF file is inside the record', 'a\r\nb\nc\r\n', 2],
  ])('%s', (_label, text, expected) => {
    expect(count(text)).toBe(expected);
    // any chunking gives the same count: lookahead state crosses chunk boundaries
    for (const chunk of [1, 2, 3]) expect(count(text, { chunk })).toBe(expected);
  });

  it('counts whitespace-only lines as records without trim', () => {
    expect(count('a\n   \nb\n', { trim: false })).toBe(3);
  });

  it('honours a backslash escape inside quotes', () => {
    expect(count('a,"x\\"\ny"\nb\n', { escape: BACKSLASH, chunk: 1 })).toBe(2);
  });
});

describe('count() agrees with what readPage returns, on random files', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = makeDataDir();
  });
  afterAll(() => removeDir(dataDir));

  /** Deterministic pseudo-random generator (mulberry32), so a failure reproduces. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const ALPHABET = ['a', 'b', ',', '"', '\n', '\n', '\r\n', ' ', '\\', 'é'];

  it.each([
    ['trim off, doubled-quote escape', { trim: false }],
    ['trim on, doubled-quote escape', { trim: true }],
    ['trim off, backslash escape', { trim: false, escape: '\\' }],
  ])('%s', async (_label, props) => {
    const next = random(42);
    for (let sample = 0; sample < 100; sample++) {
      const body = Array.from({ length: 1 + Math.floor(next() * 40) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
      writeCsv(dataDir, 'fuzz.csv', `id\n${body}`);
      const connector = csvConnector(dataDir, { filePath: 'fuzz.csv', ...props });
      const { items } = await readAll(connector, 3);
      // a malformed record skips whole lines to resynchronize, which the byte scanner does not imitate
      if (items.some((item) => !item.ok && item.message.includes('malformed record'))) continue;
      const file = JSON.stringify(body); // shown escaped when the counts differ
      expect({ file, count: await connector.count(ACCOUNT) }).toEqual({ file, count: items.length });
    }
  });
});

describe('RecordCounter line-ending corner cases', () => {
  it.each([
    ['a lone \\r in a CRLF file is content without trim', 'a\r\n\rb\r\nc\r\n', false, 3],
    ['a lone \\r in a CRLF file is blank with trim', 'a\r\n\r\r\nc\r\n', true, 2],
    ['a final lone \\r ends the last record', 'a\rb\r', true, 2],
    ['a final lone \\r in a CRLF file is content without trim', 'a\r\n\r', false, 2],
  ])('%s', (_label, text, trim, expected) => {
    for (const chunk of [1, 100]) expect(count(text, { trim, chunk })).toBe(expected);
  });
});
