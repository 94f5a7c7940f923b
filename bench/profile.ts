/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`) by component. Each sample's time goes to the deepest frame on
 * its stack that belongs to a known component, so time spent in Node internals or natives (JSON.stringify,
 * Buffer, sockets) counts for the component that called them: BSON encoding under the driver is "store", a
 * QuickJS call under the engine is "scripts".
 */
import { readFileSync } from 'node:fs';

export type Category = 'connector' | 'store' | 'scripts' | 'engine' | 'activities' | 'temporal' | 'gc' | 'idle' | 'other';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The component a frame belongs to, or null when it is neutral (Node internals, natives, anonymous). */
export function categoryOf(functionName: string, url: string): Category | null {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'gc';
  const u = url.replace(/\\/g, '/');
  if (!u) return null;
  if (/node_modules\/(mongodb|bson|mongodb-connection-string-url)\//.test(u) || /\/src\/store\//.test(u)) return 'store';
  if (/node_modules\/(csv-parse|ldapts|asn1|@ldapjs)/.test(u) || /\/src\/connectors\//.test(u)) return 'connector';
  if (/quickjs|^wasm:/.test(u) || /\/src\/scripting\//.test(u)) return 'scripts';
  if (/node_modules\/@temporalio\//.test(u) || /workflow-bundle|\/src\/workflows\//.test(u)) return 'temporal';
  if (/\/src\/engine\//.test(u)) return 'engine';
  if (/\/src\/(activities|temporal)\//.test(u)) return 'activities';
  if (/node_modules\//.test(u)) return 'other';
  return null;
}

/** Milliseconds of sampled main-thread time per component. */
export function summarizeProfile(file: string): Record<Category, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const resolved = new Map<number, Category>();
  // Top-down: a node's category is its own when known, else its parent's (root = other).
  const root = profile.nodes[0];
  const stack: Array<[ProfileNode, Category]> = root ? [[root, 'other']] : [];
  while (stack.length) {
    const [node, inherited] = stack.pop()!;
    const own = categoryOf(node.callFrame.functionName, node.callFrame.url);
    const cat = own ?? (node.callFrame.functionName === '(program)' ? 'other' : inherited);
    resolved.set(node.id, cat);
    for (const c of node.children ?? []) {
      const child = byId.get(c);
      if (child) stack.push([child, cat]);
    }
  }
  const out: Record<Category, number> = { connector: 0, store: 0, scripts: 0, engine: 0, activities: 0, temporal: 0, gc: 0, idle: 0, other: 0 };
  for (let i = 0; i < profile.samples.length; i++) {
    const cat = resolved.get(profile.samples[i]!) ?? 'other';
    out[cat] += (profile.timeDeltas[i] ?? 0) / 1000;
  }
  for (const k of Object.keys(out) as Category[]) out[k] = Math.round(out[k]);
  return out;
}

/** Adds the summaries of several threads' profiles (the worker's main thread and its workflow threads). */
export function sumProfiles(list: Array<Record<Category, number>>): Record<Category, number> {
  const out: Record<Category, number> = { connector: 0, store: 0, scripts: 0, engine: 0, activities: 0, temporal: 0, gc: 0, idle: 0, other: 0 };
  for (const p of list) for (const k of Object.keys(out) as Category[]) out[k] += p[k];
  return out;
}
