import { createScriptEngine } from '../../../src/scripting/engine';
import type { ScriptEngine } from '../../../src/scripting/types';

let engine: ScriptEngine;
beforeAll(async () => {
  engine = await createScriptEngine();
});
afterAll(() => engine.dispose());

/** Evaluates a mapping rule and says whether the engine counted it as reading the clock or randomness. */
async function impure(script: string, context = {}): Promise<{ impure: boolean; value: unknown }> {
  const before = engine.impureEvaluations;
  const value = await engine.compile('mapping', script, 'purity').evaluate(context);
  return { impure: engine.impureEvaluations > before, value };
}

describe('evaluations that read the clock or randomness are counted (provisioning must not reuse their results)', () => {
  it.each([
    ['Date.now()', 'return Date.now() > 0'],
    ['new Date()', 'return new Date().getFullYear() > 2000'],
    ['Date() as a function', "return typeof Date() === 'string'"],
    ['Math.random()', 'return Math.random() < 2'],
    ['a subclass of Date', 'class D extends Date {}; return new D().getTime() > 0'],
    ['Date reached through a date\'s constructor', 'return new Date(0).constructor.now() > 0'],
    ['Date reached through the prototype', 'return Object.getPrototypeOf(new Date(0)).constructor.now() > 0'],
    ['Reflect.construct without arguments', 'return Reflect.construct(Date, []).getTime() > 0'],
    ['a clock read on one branch only, taken', 'return IDM_OBJECT.login === "a" ? Date.now() > 0 : false'],
  ])('%s', async (_, script) => {
    expect(await impure(script, { IDM_OBJECT: { login: 'a' } })).toEqual({ impure: true, value: true });
  });

  it.each([
    ['a fixed date', "return new Date('2024-02-29T12:00:00Z').toISOString()", '2024-02-29T12:00:00.000Z'],
    ['Date.UTC and Date.parse', "return Date.UTC(2020, 0, 1) === Date.parse('2020-01-01T00:00:00Z')", true],
    ['a date from the object', 'return new Date(IDM_OBJECT.since).getUTCFullYear()', 2019],
    ['instanceof and constructor identity', 'const d = new Date(0); return d instanceof Date && d.constructor === Date', true],
    ['a clock read on a branch not taken', 'return IDM_OBJECT.login === "b" ? Date.now() : "fixed"', 'fixed'],
    ['plain attribute work', "return IDM_OBJECT.login.toUpperCase() + '-' + Math.max(1, 2)", 'A-2'],
  ])('%s is pure', async (_, script, expected) => {
    expect(await impure(script, { IDM_OBJECT: { login: 'a', since: '2019-06-01T00:00:00Z' } })).toEqual({ impure: false, value: expected });
  });

  it('an impure evaluation does not taint the next one, and a script cannot switch the tracking off', async () => {
    expect((await impure('return Date.now() > 0')).impure).toBe(true);
    expect((await impure('return 1')).impure).toBe(false);
    const tamper = await engine
      .compile('mapping', 'try { Date.now = () => 0; Math.random = () => 0; globalThis.Date = null; } catch (e) { return "refused"; } return "changed"', 't')
      .evaluate({});
    expect(tamper).toBe('refused');
    expect((await impure('return Math.random() >= 0')).impure).toBe(true);
  });
});
