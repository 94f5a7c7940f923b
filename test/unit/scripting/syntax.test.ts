import { checkSyntax } from '../../../src/scripting/syntax';

describe('checkSyntax', () => {
  it('accepts a valid function body, including the seed decision script', () => {
    expect(checkSyntax('if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }')).toBeNull();
    expect(checkSyntax('return VALUE.trim().toLowerCase() // trailing comment')).toBeNull();
    expect(checkSyntax('')).toBeNull();
  });

  it('reports the line and column of the error relative to the script, both 1-based', () => {
    const err = checkSyntax('const a = 1;\nconst b = 2;\nreturn a = = b;');
    expect(err).toEqual({ line: 3, column: 12, message: expect.stringContaining("'='") });
    expect(checkSyntax('let x = (1;')).toEqual({ line: 1, column: 11, message: expect.any(String) });
    expect(checkSyntax('\t\tif (x) {{ return 1 }} else )')).toMatchObject({ line: 1, column: 30 }); // a tab is one column
  });

  it('gives column 1 when the error is found past the script (unterminated) and the column is unknown', () => {
    expect(checkSyntax('return (1 +')).toEqual({ line: 1, column: 1, message: expect.any(String) });
  });

  it('reports an unterminated script on its last line', () => {
    expect(checkSyntax('return 1 +')).toMatchObject({ line: 1 });
    expect(checkSyntax('let x = `abc\nfoo')).toMatchObject({ line: 2 });
  });

  it.each([
    ['brackets', `return ${'('.repeat(100_000)}`],
    ['blocks', `${'{'.repeat(100_000)}${'}'.repeat(100_000)}`],
    ['arrays', `return ${'['.repeat(5_000)}${']'.repeat(5_000)}`],
    ['arrows', `return ${'x=>'.repeat(5_000)}x`],
    ['unary chain', `return ${'!'.repeat(100_000)}x`],
    ['conditional chain', `return ${'a?b:'.repeat(20_000)}c`],
  ])('rejects a hostile deeply nested script (%s) as nested too deeply, and checks the next script normally', (_shape, script) => {
    expect(checkSyntax(script)).toEqual({ line: 1, column: expect.any(Number), message: expect.stringMatching(/nested too deeply/) });
    expect(checkSyntax('const a = 1;\nreturn a = = 1;')).toEqual({ line: 2, column: 12, message: expect.stringContaining("'='") });
    expect(checkSyntax(`return ${'('.repeat(50)}1${')'.repeat(50)}`)).toBeNull();
  });

  it('rejects a body that closes the wrapper function early', () => {
    const err = checkSyntax('}); globalThis.x = 1; (function () {');
    expect(err).not.toBeNull();
    expect(err?.message).toMatch(/unbalanced closing brace/);
  });

  it('does not run the script', () => {
    expect(checkSyntax('while (true) {}')).toBeNull();
  });
});
