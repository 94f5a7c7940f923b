import { checkSyntax } from '../../../src/scripting/syntax';

describe('checkSyntax', () => {
  it('accepts a valid function body, including the seed decision script', () => {
    expect(checkSyntax('if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }')).toBeNull();
    expect(checkSyntax('return VALUE.trim().toLowerCase() // trailing comment')).toBeNull();
    expect(checkSyntax('')).toBeNull();
  });

  it('reports the line of the error relative to the script, 1-based', () => {
    const err = checkSyntax('const a = 1;\nconst b = 2;\nreturn a = = b;');
    expect(err).toEqual({ line: 3, column: 1, message: expect.stringContaining("'='") });
  });

  it('reports an unterminated script on its last line', () => {
    expect(checkSyntax('return 1 +')).toMatchObject({ line: 1 });
    expect(checkSyntax('let x = `abc\nfoo')).toMatchObject({ line: 2 });
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
