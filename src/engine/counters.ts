/**
 * Run counters (SPEC.md §6 statistics), summed page by page. Pure code with no imports: workflows use it too.
 */
export interface Counters {
  processed: number;
  errors: number;
  skipped: number;
  situations: Record<string, number>;
  actions: Record<string, number>;
}

/** The outcome of a run that went through: PARTIAL when any entry (or post-processing step) failed. */
export const outcomeOf = (c: Counters): 'SUCCESS' | 'PARTIAL' => (c.errors > 0 ? 'PARTIAL' : 'SUCCESS');

export const emptyCounters = (): Counters => ({ processed: 0, errors: 0, skipped: 0, situations: {}, actions: {} });

export function addCounters(a: Counters, b: Counters): Counters {
  const sum = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    processed: a.processed + b.processed,
    errors: a.errors + b.errors,
    skipped: a.skipped + b.skipped,
    situations: sum(a.situations, b.situations),
    actions: sum(a.actions, b.actions),
  };
}
