import { AppError, errorRepresentation, type ErrorRepresentation } from '../errors';
import { ConnectorError } from '../connectors/types';
import type { Situation, SyncAction } from '../config/enums';

/** What happened to one entry of a page (an account, or a shadow found deleted). */
export interface EntryOutcome {
  line: number;
  uid?: string;
  name?: string;
  situation?: Situation;
  actions: SyncAction[];
  idmObjectId?: string | null;
  /** the entry's object synchronization definition is disabled: recorded, not an error */
  skipped?: boolean;
  error?: ErrorRepresentation;
}

/** Run counters, summed page by page by the workflow (SPEC.md §6 statistics). */
export interface Counters {
  processed: number;
  errors: number;
  skipped: number;
  situations: Record<string, number>;
  actions: Record<string, number>;
}

export const emptyCounters = (): Counters => ({ processed: 0, errors: 0, skipped: 0, situations: {}, actions: {} });

export function countOutcomes(outcomes: EntryOutcome[]): Counters {
  const c = emptyCounters();
  for (const o of outcomes) {
    c.processed++;
    if (o.error) c.errors++;
    if (o.skipped) c.skipped++;
    if (o.situation) c.situations[o.situation] = (c.situations[o.situation] ?? 0) + 1;
    for (const a of o.actions) c.actions[a] = (c.actions[a] ?? 0) + 1;
  }
  return c;
}

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

/** The error representation of a failed entry, naming the account (SPEC.md §6: properties.uid / properties.name). */
export function entryError(err: unknown, who: { uid?: string; name?: string; line?: number }): ErrorRepresentation {
  const account = { ...(who.uid !== undefined ? { uid: who.uid } : {}), ...(who.name !== undefined ? { name: who.name } : {}), ...(who.line !== undefined ? { line: who.line } : {}) };
  if (err instanceof AppError) {
    const rep = err.toRepresentation();
    return { ...rep, properties: { ...account, ...rep.properties } };
  }
  if (err instanceof ConnectorError) {
    return errorRepresentation('CONNECTOR_ERROR', `${err.message}`, { ...account, kind: err.kind, ...err.details });
  }
  const message = err instanceof Error ? err.message : String(err);
  return errorRepresentation('INTERNAL_ERROR', `Unexpected error: ${message}`, { ...account, cause: message });
}
