/**
 * Compute-rule benchmark: evaluations per second of a typical normalize rule (`return VALUE.trim().toLowerCase()`)
 * through the public ScriptEngine API (JSON marshalling, sync QuickJS sandbox, return-type check), one core,
 * evaluations awaited one after another as a sync run does. Also measures the seed's decision rule and a custom
 * correlation rule calling ObjectFinder (asyncified variant) for comparison.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/scripting.js [seconds per case]
 *
 * Writes bench/results/scripting.json. Target (issue 5): at least 50,000 normalize evaluations per second.
 */
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createScriptEngine } from '../src/scripting/engine';
import type { CompiledRule, ObjectFinderFn, RuleKind, ScriptContext } from '../src/scripting/types';

const TARGET_NORMALIZE_PER_SECOND = 50_000;
const seconds = Number(process.argv[2] ?? 3);

interface CaseResult {
  name: string;
  evaluations: number;
  seconds: number;
  perSecond: number;
}

async function measure<K extends RuleKind>(
  name: string,
  rule: CompiledRule<K>,
  contextFor: (i: number) => ScriptContext,
  opts?: { objectFinder?: ObjectFinderFn },
): Promise<CaseResult> {
  for (let i = 0; i < 2_000; i++) await rule.evaluate(contextFor(i), opts); // warm-up (JIT, wasm tiering)
  const until = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  let evaluations = 0;
  while (process.hrtime.bigint() < until) {
    // Check every batch so the clock read does not dominate.
    for (let i = 0; i < 1_000; i++) await rule.evaluate(contextFor(evaluations + i), opts);
    evaluations += 1_000;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const result = { name, evaluations, seconds: elapsed, perSecond: Math.round(evaluations / elapsed) };
  console.log(`${name}: ${result.perSecond.toLocaleString('en')} evaluations/s (${evaluations} in ${elapsed.toFixed(2)} s)`);
  return result;
}

async function main(): Promise<void> {
  const engine = await createScriptEngine();
  const values = Array.from({ length: 1024 }, (_, i) => `  Jane.Doe${i}@Example.COM `);
  const normalize = engine.compile('normalize', 'return VALUE.trim().toLowerCase()', 'bench/normalize');
  const decision = engine.compile('decision', 'if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }', 'bench/decision');
  const correlation = engine.compile('correlation', 'return CorrelationResult.of(ObjectFinder.find({ eq: { mail: ACCOUNT.mail } }).map((o) => o.id))', 'bench/correlation');
  const finder: ObjectFinderFn = (filter) => Promise.resolve([{ id: JSON.stringify(filter).length.toString() }]);
  const idmObject = { id: 'u1', kind: 'IDM_OBJECT', type: 'user', lifecycleState: 'ACTIVE', mail: 'jane@example.com' };

  const results = [
    await measure('normalize', normalize, (i) => ({ VALUE: values[i & 1023] })),
    await measure('decision', decision, (i) => ({ IDM_OBJECT: i % 2 ? idmObject : { ...idmObject, some_attribute: 'x' } })),
    await measure('correlation+ObjectFinder', correlation, (i) => ({ ACCOUNT: { mail: values[i & 1023] } }), { objectFinder: finder }),
  ];
  engine.dispose();

  const normalizeRate = results[0]?.perSecond ?? 0;
  const report = {
    benchmark: 'scripting',
    date: new Date().toISOString(),
    node: process.version,
    target: { normalizePerSecond: TARGET_NORMALIZE_PER_SECOND, met: normalizeRate >= TARGET_NORMALIZE_PER_SECOND },
    results,
  };
  const dir = path.join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'scripting.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(`normalize target ${TARGET_NORMALIZE_PER_SECOND.toLocaleString('en')}/s: ${report.target.met ? 'met' : 'NOT met'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
