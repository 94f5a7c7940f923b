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

  it('reports a script that ends too early where it ends, without naming the wrapper\'s tokens', () => {
    const endOf = (line: number, column: number) => ({ line, column, message: 'unexpected end of the script: a bracket, block, string or expression is not closed' });
    expect(checkSyntax('return (1 +')).toEqual(endOf(1, 12));
    expect(checkSyntax('return (')).toEqual(endOf(1, 9));
    expect(checkSyntax('if (x) {\n  return 1;\n')).toEqual(endOf(2, 12));
    expect(checkSyntax('return {a: 1')).toEqual(endOf(1, 13));
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
