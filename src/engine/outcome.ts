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

export { emptyCounters, addCounters, type Counters } from './counters';
import { emptyCounters, type Counters } from './counters';

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

/** A compute rule's error says the line in its rule: renamed, so `line` stays the entry's line in the source. */
function ruleLine(properties: Record<string, unknown>): Record<string, unknown> {
  if (!('rule' in properties) || !('line' in properties)) return properties;
  const { line, ...rest } = properties;
  return { ...rest, ruleLine: line };
}

/**
 * What an entry's error names besides the account, where the engine knows it: the shadow and the IDM object, the
 * columns of a post-processing error report (SPEC.md §3.4: SHADOW_OBJECT_ID, SHADOW_KIND, ... IDM_OBJECT_KIND).
 */
export interface ErrorSubject {
  shadowId?: string;
  shadowKind?: string;
  objectClassId?: string;
  idmObjectId?: string | null;
  idmObjectKind?: string;
}

/** The subject of a shadow's entry, with its owner if known; the shadow's id only if it is stored (`stored`). */
export function shadowSubject(shadow: { _id: string; shadowKind: string; objectClassId: string }, owner: { id: string; kind: string } | null, stored = true): ErrorSubject {
  return { ...(stored ? { shadowId: shadow._id } : {}), shadowKind: shadow.shadowKind, objectClassId: shadow.objectClassId, ...(owner ? { idmObjectId: owner.id, idmObjectKind: owner.kind } : {}) };
}

/** The error representation of a failed entry, naming the account (SPEC.md §6: properties.uid / properties.name). */
export function entryError(err: unknown, who: { uid?: string; name?: string; line?: number }, subject: ErrorSubject = {}): ErrorRepresentation {
  const account = Object.fromEntries(Object.entries({ ...subject, ...who }).filter(([, v]) => v !== undefined && v !== null));
  if (err instanceof AppError) {
    const rep = err.toRepresentation();
    return { ...rep, properties: { ...ruleLine(rep.properties), ...account } };
  }
  if (err instanceof ConnectorError) {
    return errorRepresentation('CONNECTOR_ERROR', `${err.message}`, { ...account, kind: err.kind, ...err.details });
  }
  const message = err instanceof Error ? err.message : String(err);
  return errorRepresentation('INTERNAL_ERROR', `Unexpected error: ${message}`, { ...account, cause: message });
}
