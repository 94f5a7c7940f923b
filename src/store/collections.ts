import { sha256 } from '../sha256';
import { MongoServerError, type Collection, type Document } from 'mongodb';

/** Collection names of a tenant database (ARCHITECTURE.md §4). Spelled once, here. */
export const COLLECTIONS = {
  idmObjects: 'idmObjects',
  shadows: 'shadows',
  correlationKeys: 'correlationKeys',
  meta: 'meta',
  taskRuns: 'taskRuns',
  taskErrors: 'taskErrors',
  /** the ledger of writes that make shadows dead (shadow-deaths.ts) */
  shadowDeaths: 'shadowDeaths',
  shadowDeathsInFlight: 'shadowDeathsInFlight',
  /** the page journal of runs started before each run had its own (PageJournal) */
  pageJournal: 'pageJournal',
} as const;

/**
 * The name of a collection that belongs to one run (`<prefix>_<32 hex digits of the run id's SHA-256>`): finishing
 * the run drops it in one command, where deleting its documents from a shared collection would read them all.
 */
export function runCollection(prefix: 'seenMarks' | 'stagedSource' | 'pageJournal', runId: string): string {
  return `${prefix}_${sha256(runId, 'hex').slice(0, 32)}`;
}

/** Whether a command failed because its collection was never created (MongoDB's NamespaceNotFound). */
export function isNamespaceNotFound(e: unknown): boolean {
  return e instanceof MongoServerError && e.code === 26;
}

/** Drops a collection; one that was never created (a run that wrote nothing there) is not an error. */
export async function dropCollection<D extends Document>(col: Collection<D>): Promise<void> {
  try {
    await col.drop();
  } catch (e) {
    if (!isNamespaceNotFound(e)) throw e;
  }
}
