import { createScriptEngine } from '../../../src/scripting/engine';
import type { ScriptEngine } from '../../../src/scripting/types';
import { failureOf } from './helpers';

const SEED_DECISION = 'if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }';

let engine: ScriptEngine;
beforeAll(async () => {
  engine = await createScriptEngine();
});
afterAll(() => engine.dispose());

describe('rule kinds', () => {
  it("runs the seed's decision script unchanged", async () => {
    const rule = engine.compile('decision', SEED_DECISION, 'sync/decision');
    await expect(rule.evaluate({ IDM_OBJECT: { id: '1', some_attribute: 'x' } })).resolves.toEqual([]);
    await expect(rule.evaluate({ IDM_OBJECT: { id: '1' } })).resolves.toEqual(['NO_OP']);
    await expect(rule.evaluate({ IDM_OBJECT: null })).resolves.toEqual(['NO_OP']);
  });

  it('decision: a list of actions, null and undefined', async () => {
    const list = engine.compile('decision', 'return [SyncAction.LINK, SyncAction.SYNCHRONIZE_IDM_OBJECT]', 'd');
    await expect(list.evaluate({})).resolves.toEqual(['LINK', 'SYNCHRONIZE_IDM_OBJECT']);
    await expect(engine.compile('decision', 'return null', 'd').evaluate({})).resolves.toEqual([]);
    await expect(engine.compile('decision', 'if (SITUATION === "X") return "PATCH"', 'd').evaluate({ SITUATION: 'Y' })).resolves.toEqual([]);
  });

  it('exposes every SyncAction constant as its own name', async () => {
    const rule = engine.compile('mapping', 'return Object.keys(SyncAction).filter((k) => SyncAction[k] === k)', 'm');
    await expect(rule.evaluate({})).resolves.toEqual([
      'SYNCHRONIZE_IDM_OBJECT', 'ADD_IDM_OBJECT', 'REMOVE_IDM_OBJECT', 'INACTIVATE_IDM_OBJECT', 'SOFT_DELETE_IDM_OBJECT',
      'ADD_ACCOUNT', 'REMOVE_ACCOUNT', 'INACTIVATE_ACCOUNT', 'LINK', 'UNLINK', 'NO_OP', 'PATCH',
    ]);
  });

  it('normalize: value, list, null; undefined becomes null', async () => {
    const rule = engine.compile('normalize', 'return VALUE.trim().toLowerCase()', 'n');
    await expect(rule.evaluate({ VALUE: '  Jane.DOE ' })).resolves.toBe('jane.doe');
    await expect(engine.compile('normalize', 'return VALUE.split(",")', 'n').evaluate({ VALUE: 'a,b' })).resolves.toEqual(['a', 'b']);
    await expect(engine.compile('normalize', 'return null', 'n').evaluate({})).resolves.toBeNull();
    await expect(engine.compile('normalize', 'VALUE', 'n').evaluate({ VALUE: 1 })).resolves.toBeNull();
  });

  it('mapping: reads ACCOUNT, IDM_OBJECT, OBJECT_TYPE and CORRELATION_METADATA', async () => {
    const rule = engine.compile(
      'mapping',
      'return CORRELATION_METADATA?.keep ? [ACCOUNT.givenName + " " + ACCOUNT.sn, OBJECT_TYPE, IDM_OBJECT.id, ACCOUNT.groups.length] : null',
      'm',
    );
    const context = { ACCOUNT: { givenName: 'Jane', sn: 'Doe', groups: ['a', 'b'] }, IDM_OBJECT: { id: 'u1' }, OBJECT_TYPE: 'user' };
    await expect(rule.evaluate({ ...context, CORRELATION_METADATA: { keep: true } })).resolves.toEqual(['Jane Doe', 'user', 'u1', 2]);
    await expect(rule.evaluate({ ...context, CORRELATION_METADATA: null })).resolves.toBeNull();
  });

  it('assignment: an object type or null', async () => {
    const rule = engine.compile('assignment', 'return ACCOUNT.kind === "svc" ? "serviceAccount" : null', 'a');
    await expect(rule.evaluate({ ACCOUNT: { kind: 'svc' } })).resolves.toBe('serviceAccount');
    await expect(rule.evaluate({ ACCOUNT: { kind: 'person' } })).resolves.toBeNull();
  });

  it('matching: a boolean', async () => {
    const rule = engine.compile('matching', 'return ACCOUNT.status === "gone"', 'c');
    await expect(rule.evaluate({ ACCOUNT: { status: 'gone' } })).resolves.toBe(true);
    await expect(rule.evaluate({ ACCOUNT: { status: 'here' } })).resolves.toBe(false);
  });

  it('customAction: a patch object or null', async () => {
    const rule = engine.compile('customAction', 'return IDM_OBJECT ? { mail: ACCOUNT.mail.toLowerCase(), phone: null } : null', 'p');
    await expect(rule.evaluate({ ACCOUNT: { mail: 'A@B.C' }, IDM_OBJECT: { id: '1' } })).resolves.toEqual({ mail: 'a@b.c', phone: null });
    await expect(rule.evaluate({ ACCOUNT: { mail: 'A@B.C' }, IDM_OBJECT: null })).resolves.toBeNull();
  });

  it('scripts get copies: mutating an argument does not change the host object', async () => {
    const account = { mail: 'x' };
    await engine.compile('customAction', 'ACCOUNT.mail = "changed"; return ACCOUNT', 'p').evaluate({ ACCOUNT: account });
    expect(account).toEqual({ mail: 'x' });
  });
});

describe('return-type checks name the rule', () => {
  const cases: Array<[Parameters<ScriptEngine['compile']>[0], string, RegExp]> = [
    ['normalize', 'return { a: 1 }', /must return a value, a list of values or null/],
    ['normalize', 'return [[1]]', /list containing objects or lists/],
    ['mapping', 'return () => 1', /type function/],
    ['assignment', 'return 42', /object type name/],
    ['matching', 'return "true"', /must return a boolean, not the string "true"/],
    ['matching', 'return 1', /must return a boolean/],
    ['matching', 'return null', /must return a boolean/],
    ['decision', 'return "DELETE_EVERYTHING"', /"DELETE_EVERYTHING", which is not a SyncAction/],
    ['decision', 'return [SyncAction.LINK, 3]', /3, which is not a SyncAction/],
    ['decision', 'return { action: "LINK" }', /must return a SyncAction/],
    ['customAction', 'return ["a"]', /patch object/],
    ['customAction', 'return "x"', /patch object/],
    ['correlation', 'return "id-1"', /CorrelationResult.of/],
    ['correlation', 'return [1, 2]', /list of IDM object ids/],
  ];
  it.each(cases)('%s: %s', async (kind, script, reason) => {
    const location = `applications/hr/rules[${kind}]`;
    const err = await failureOf(engine.compile(kind, script, location).evaluate({}));
    expect(err.label).toBe('SCRIPT_ERROR');
    expect(err.message).toContain(location);
    expect(err.message).toMatch(reason);
    expect(err.properties).toMatchObject({ rule: location, cause: expect.stringMatching(reason) });
  });
});

describe('errors', () => {
  it('a script that throws fails with the rule, the line and the message', async () => {
    const err = await failureOf(engine.compile('normalize', 'const a = 1;\nthrow new Error("boom " + a)', 'rules/x').evaluate({}));
    expect(err.label).toBe('SCRIPT_ERROR');
    expect(err.properties).toEqual({ rule: 'rules/x', line: 2, cause: 'Error: boom 1' });
  });

  it('a runtime type error reports its line', async () => {
    const err = await failureOf(engine.compile('normalize', '\n\nreturn VALUE.trim()', 'rules/y').evaluate({}));
    expect(err.properties).toMatchObject({ rule: 'rules/y', line: 3, cause: expect.stringContaining('TypeError') });
  });

  it('compile errors are VALIDATION_ERROR with path, line, column and reason', () => {
    let caught: unknown;
    try {
      engine.compile('normalize', 'return 1;\nreturn = 2', 'applications/hr/normalize');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({
      label: 'VALIDATION_ERROR',
      properties: { path: 'applications/hr/normalize', line: 2, column: 8, reason: expect.any(String) },
    });
  });

  it('a rule compiled once evaluates many times with different contexts', async () => {
    const rule = engine.compile('normalize', 'return VALUE * 2', 'n');
    const results = await Promise.all([1, 2, 3, 4].map((v) => rule.evaluate({ VALUE: v })));
    expect(results).toEqual([2, 4, 6, 8]);
  });
});
