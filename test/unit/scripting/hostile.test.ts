import { createScriptEngine } from '../../../src/scripting/engine';
import type { CompiledRule, ScriptEngine } from '../../../src/scripting/types';
import { failureOf } from './helpers';

let engine: ScriptEngine;
let healthy: CompiledRule<'normalize'>;
beforeAll(async () => {
  engine = await createScriptEngine({ timeoutMs: 100 });
  healthy = engine.compile('normalize', 'return VALUE.trim().toLowerCase()', 'healthy');
});
afterAll(() => engine.dispose());

/** After each hostile entry the next evaluation on the same engine must work. */
afterEach(async () => {
  await expect(healthy.evaluate({ VALUE: '  OK ' })).resolves.toBe('ok');
});

async function fails(script: string, cause: RegExp): Promise<void> {
  const err = await failureOf(engine.compile('normalize', script, 'hostile').evaluate({ VALUE: 'x' }));
  expect(err.label).toBe('SCRIPT_ERROR');
  expect(err.properties).toMatchObject({ rule: 'hostile', cause: expect.stringMatching(cause) });
}

describe('hostile scripts fail their own entry only', () => {
  it('while (true) {} times out near the deadline', async () => {
    const started = Date.now();
    await fails('while (true) {}', /time limit of 100 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('allocating ~1 GB runs out of memory', async () => {
    await fails('let s = "x"; while (s.length < 1e9) s += s; return s.length', /out of memory/);
    await fails('return new Array(1e9).fill(0).length', /out of memory/);
  });

  it('deep recursion hits the stack limit', async () => {
    await fails('function f(n) { return f(n + 1) + 1 } return f(0)', /stack limit/);
  });

  it('the Function constructor reaches nothing of the host', async () => {
    await fails("return this.constructor.constructor('return process')()", /TypeError/);
    const viaFunction = engine.compile('normalize', "return (() => {}).constructor('return typeof process + typeof require + typeof globalThis.process')()", 'h');
    await expect(viaFunction.evaluate({})).resolves.toBe('undefinedundefinedundefined');
  });

  it('require, import(), timers and host globals are not there', async () => {
    await fails('return require("fs")', /ReferenceError: 'require' is not defined/);
    await fails('return setTimeout(() => {}, 1)', /ReferenceError: 'setTimeout' is not defined/);
    await fails('return process.exit(1)', /ReferenceError: 'process' is not defined/);
    // import() yields a (rejected) promise, which is no valid rule result.
    await fails('return import("fs")', /wrong type/);
    const probe = engine.compile(
      'normalize',
      'return ["process", "require", "module", "Buffer", "fetch", "setTimeout", "setInterval", "queueMicrotask", "std", "os", "Uint8Array", "WebAssembly"].filter((n) => n in globalThis)',
      'probe',
    );
    await expect(probe.evaluate({})).resolves.toEqual([]);
  });

  it('prototype pollution fails and leaves nothing for the next evaluation', async () => {
    await fails('Object.prototype.polluted = 1; return 1', /TypeError/);
    await fails('Array.prototype.push = () => 0; return 1', /TypeError/);
    await fails('VALUE.__proto__.trim = () => "pwned"; return 1', /TypeError/);
    await fails('globalThis.leak = 1; return 1', /TypeError/);
    await fails('leak = 1; return 1', /ReferenceError/);
    const check = engine.compile('normalize', 'return [({}).polluted === undefined, typeof leak, [1].push(2), " a ".trim()]', 'check');
    await expect(check.evaluate({})).resolves.toEqual([true, 'undefined', 2, 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('mutating context objects and reassigning SyncAction does not leak into the next evaluation', async () => {
    const mutate = engine.compile('decision', 'SyncAction = { NO_OP: "LINK" }; IDM_OBJECT.x = 1; return SyncAction.NO_OP', 'mutate');
    await expect(mutate.evaluate({ IDM_OBJECT: {} })).resolves.toEqual(['LINK']);
    const frozen = engine.compile('decision', 'SyncAction.NO_OP = "LINK"; return SyncAction.NO_OP', 'frozen');
    expect((await failureOf(frozen.evaluate({}))).properties['cause']).toMatch(/TypeError/);
    const read = engine.compile('decision', 'return IDM_OBJECT.x === undefined ? SyncAction.NO_OP : SyncAction.LINK', 'read');
    await expect(read.evaluate({ IDM_OBJECT: {} })).resolves.toEqual(['NO_OP']);
  });

  it('a rule compiled before a memory failure still evaluates afterwards (recompiled in a fresh sandbox)', async () => {
    const before = engine.compile('matching', 'return ACCOUNT.a === 1', 'before');
    await fails('let s = "x"; while (true) s += s', /out of memory/);
    await expect(before.evaluate({ ACCOUNT: { a: 1 } })).resolves.toBe(true);
  });
});
