import { createScriptEngine } from '../../../src/scripting/engine';
import type { ObjectFinderFn, ScriptEngine } from '../../../src/scripting/types';
import { failureOf } from './helpers';

let engine: ScriptEngine;
beforeAll(async () => {
  engine = await createScriptEngine();
});
afterAll(() => engine.dispose());

const people = [
  { id: 'p1', kind: 'IDM_OBJECT', type: 'user', lifecycleState: 'ACTIVE', mail: 'jane@example.com' },
  { id: 'p2', kind: 'IDM_OBJECT', type: 'user', lifecycleState: 'ACTIVE', mail: 'jane@example.com' },
];

/** A fake finder recording its calls; answers after a real async hop so the script really suspends. */
function recordingFinder(result: Array<Record<string, unknown>>): { finder: ObjectFinderFn; calls: Array<[Record<string, unknown>, number]> } {
  const calls: Array<[Record<string, unknown>, number]> = [];
  const finder: ObjectFinderFn = async (filter, limit) => {
    calls.push([filter, limit]);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return result;
  };
  return { finder, calls };
}

describe('custom correlation with ObjectFinder', () => {
  it('returns CorrelationResult ids and metadata from a search', async () => {
    const rule = engine.compile(
      'correlation',
      `const found = ObjectFinder.find({ eq: { mail: ACCOUNT.mail.toLowerCase() } });
       return CorrelationResult.of(found.map((o) => o.id), { matchedOn: 'mail', count: found.length });`,
      'applications/hr/correlation',
    );
    const { finder, calls } = recordingFinder(people);
    await expect(rule.evaluate({ ACCOUNT: { mail: 'Jane@Example.com' } }, { objectFinder: finder })).resolves.toEqual({
      ids: ['p1', 'p2'],
      metadata: { matchedOn: 'mail', count: 2 },
    });
    expect(calls).toEqual([[{ eq: { mail: 'jane@example.com' } }, 100]]);
  });

  it('accepts a plain list of ids (metadata null) and CorrelationResult.of without metadata', async () => {
    await expect(engine.compile('correlation', 'return ["a", "b"]', 'c').evaluate({})).resolves.toEqual({ ids: ['a', 'b'], metadata: null });
    await expect(engine.compile('correlation', 'return CorrelationResult.of([])', 'c').evaluate({})).resolves.toEqual({ ids: [], metadata: null });
  });

  it('bounds the limit: default 100, at most 1000, and truncates a finder that returns more', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ id: `o${i}` }));
    const { finder, calls } = recordingFinder(many);
    // Not a test of the time limit: copying 1,000 found objects into the sandbox once took over the default 100 ms on
    // a loaded 2-core machine (jest workers beside FerretDB), failing this test for the wrong reason.
    const patient = await createScriptEngine({ timeoutMs: 10_000 });
    try {
      const rule = patient.compile('correlation', 'return ObjectFinder.find({}, LIMIT_PLACEHOLDER).map((o) => o.id)'.replace('LIMIT_PLACEHOLDER', 'VALUE'), 'c');
      const big = await rule.evaluate({ VALUE: 5000 }, { objectFinder: finder });
      expect(big.ids).toHaveLength(1000);
      const small = await rule.evaluate({ VALUE: 3 }, { objectFinder: finder });
      expect(small.ids).toEqual(['o0', 'o1', 'o2']);
      expect(calls.map(([, limit]) => limit)).toEqual([1000, 3]);
      const err = await failureOf(rule.evaluate({ VALUE: 'ten' }, { objectFinder: finder }));
      expect(err.properties['cause']).toMatch(/limit must be a positive number/);
    } finally {
      patient.dispose();
    }
  });

  it('a failing finder fails the entry with its message; the next evaluation works', async () => {
    const rule = engine.compile('correlation', 'return ObjectFinder.find({}).map((o) => o.id)', 'c');
    const err = await failureOf(rule.evaluate({}, { objectFinder: () => Promise.reject(new Error('store down')) }));
    expect(err.properties['cause']).toMatch(/ObjectFinder.find failed: store down/);
    await expect(rule.evaluate({}, { objectFinder: recordingFinder(people).finder })).resolves.toEqual({ ids: ['p1', 'p2'], metadata: null });
  });

  it('without an objectFinder, or outside correlation, find fails the entry', async () => {
    const rule = engine.compile('correlation', 'return ObjectFinder.find({}).map((o) => o.id)', 'c');
    expect((await failureOf(rule.evaluate({}))).properties['cause']).toMatch(/no object finder/);
    const mapping = engine.compile('mapping', 'return ObjectFinder.find({})', 'm');
    expect((await failureOf(mapping.evaluate({}))).properties['cause']).toMatch(/custom correlation rules only/);
  });

  it('concurrent evaluations each get their own finder and results', async () => {
    const rule = engine.compile('correlation', 'return ObjectFinder.find({ v: VALUE }).map((o) => o.id + ":" + VALUE)', 'c');
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) => rule.evaluate({ VALUE: v }, { objectFinder: async (filter) => [{ id: String(filter['v']) }] })),
    );
    expect(results.map((r) => r.ids)).toEqual([['a:a'], ['b:b'], ['c:c']]);
  });

  it('a correlation script that loops forever times out; time waiting for the finder does not count', async () => {
    const looping = engine.compile('correlation', 'while (true) {}', 'c');
    expect((await failureOf(looping.evaluate({})))).toMatchObject({ properties: { cause: expect.stringMatching(/time limit/) } });
    const slowFinder: ObjectFinderFn = async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return [{ id: 'slow' }];
    };
    const waits = engine.compile('correlation', 'return ObjectFinder.find({}).map((o) => o.id)', 'c');
    await expect(waits.evaluate({}, { objectFinder: slowFinder })).resolves.toEqual({ ids: ['slow'], metadata: null });
  });
});
