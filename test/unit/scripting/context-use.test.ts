import { contextNamesUsed, type ContextName } from '../../../src/scripting/context-use';
import { createScriptEngine } from '../../../src/scripting/engine';
import { CONTEXT_NAMES } from '../../../src/scripting/sandbox';
import type { ScriptEngine } from '../../../src/scripting/types';

const used = (script: string): ContextName[] => [...contextNamesUsed(script, CONTEXT_NAMES)].sort();
const ALL = [...CONTEXT_NAMES].sort();

describe('contextNamesUsed', () => {
  it('finds the names a rule reads, and not the wrapper parameters it does not', () => {
    expect(used('return 1')).toEqual([]);
    expect(used("return ACCOUNT.firstName + ' ' + ACCOUNT.lastName;")).toEqual(['ACCOUNT']);
    expect(used('return VALUE == null ? null : String(VALUE).toLowerCase();')).toEqual(['VALUE']);
    expect(used('const { IDM_OBJECT: o } = { IDM_OBJECT: 1 }; return SITUATION === "LINKED" ? OBJECT_TYPE : o')).toEqual(['IDM_OBJECT', 'OBJECT_TYPE', 'SITUATION']);
    expect(used('return [1, [2, [CORRELATION_METADATA]]]')).toEqual(['CORRELATION_METADATA']);
  });

  it('takes an escaped identifier for the name it spells', () => {
    expect(used('return IDM\\u005FOBJECT.id')).toEqual(['IDM_OBJECT']);
    expect(used('return \\u{41}CCOUNT.id')).toEqual(['ACCOUNT']);
  });

  it('does not take a name in a string or a comment for a read', () => {
    expect(used('return "IDM_OBJECT" + `ACCOUNT` // VALUE')).toEqual([]);
  });

  it('gives every name to a rule that can reach the parameters without naming them', () => {
    expect(used('return arguments[1]')).toEqual(ALL);
    expect(used('return eval("IDM" + "_OBJECT")')).toEqual(ALL);
    expect(used('const f = function () { return arguments.length }; return f()')).toEqual(ALL);
  });

  it('gives every name to a source it cannot parse', () => {
    expect(used('return (')).toEqual(ALL);
    expect(used('}); (function () {')).toEqual(ALL);
  });

  it('walks a deeply nested rule and a very long one; one too deep for the parser gets every name', () => {
    expect(used(`return ${'['.repeat(300)}VALUE${']'.repeat(300)}`)).toEqual(['VALUE']);
    expect(used(`return ${'['.repeat(100_000)}VALUE${']'.repeat(100_000)}`)).toEqual(ALL);
    expect(used(`return [${'1,'.repeat(300_000)} ACCOUNT]`)).toEqual(['ACCOUNT']);
  });
});

describe('rules get only the context names they read', () => {
  let engine: ScriptEngine;
  beforeAll(async () => {
    engine = await createScriptEngine();
  });
  afterAll(() => engine.dispose());

  /** An object JSON cannot copy: a rule that reads it fails, so one that evaluates did not copy it. */
  const cyclic = (): Record<string, unknown> => {
    const o: Record<string, unknown> = { id: 'o1' };
    o.self = o;
    return o;
  };

  it('does not copy a name the rule does not read', async () => {
    const rule = engine.compile('mapping', "return ACCOUNT.firstName + ' ' + ACCOUNT.lastName", 'm');
    await expect(rule.evaluate({ ACCOUNT: { firstName: 'Jane', lastName: 'Doe' }, IDM_OBJECT: cyclic() })).resolves.toBe('Jane Doe');
    const reads = engine.compile('mapping', 'return IDM_OBJECT.id', 'm');
    await expect(reads.evaluate({ IDM_OBJECT: cyclic() })).rejects.toMatchObject({ message: expect.stringMatching(/IDM_OBJECT cannot be passed to the script/) });
  });

  it.each([
    ['an escaped identifier', 'return IDM\\u005FOBJECT.id'],
    ['arguments', 'return arguments[1].id'],
    ['a direct eval', 'return eval("IDM" + "_OBJECT").id'],
  ])('copies every name a rule reaches through %s', async (_how, script) => {
    const rule = engine.compile('mapping', script, 'm');
    await expect(rule.evaluate({ ACCOUNT: { id: 'a1' }, IDM_OBJECT: { id: 'o1' } })).resolves.toBe('o1');
  });

  it('leaves an unread name undefined, as an absent one', async () => {
    const rule = engine.compile('mapping', 'return typeof globalThis.IDM_OBJECT + "/" + (typeof ACCOUNT)', 'm');
    await expect(rule.evaluate({ ACCOUNT: { id: 'a1' }, IDM_OBJECT: { id: 'o1' } })).resolves.toBe('undefined/object');
  });
});
