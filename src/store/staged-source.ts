import type { Collection, Db } from 'mongodb';
import { dropCollection, runCollection } from './collections';
import type { Connector, Page, Position, ReadItem } from '../connectors/types';
import { AppError } from '../errors';
import { readTextParts, writeTextParts, type TextPartDoc } from './text-parts';

/** What the staging pass found, written last: its presence says the staging is complete. */
interface StagedMetaDoc {
  _id: 'meta';
  pages: number;
  total: number;
}

export type StagingConnector = Connector & Required<Pick<Connector, 'readAll'>>;

/** Whether a run of this connector stages its accounts (it can read them all in one pass). */
export function stages(connector: Connector): connector is StagingConnector {
  return typeof connector.readAll === 'function';
}

const POSITION = /^staged:(0|[1-9][0-9]{0,8})$/;

/** One collection per run, dropped at once when the run ends (like the seen marks). */
export function stagedSourceCollection(runId: string): string {
  return runCollection('stagedSource', runId);
}

export function isStagedPosition(position: Position | null): boolean {
  return position !== null && position.startsWith('staged:');
}

/**
 * The accounts of a run's source, read in one pass before the first page and kept in pages, for a source that can
 * only resume a read cheaply on the connection that started it (LDAP: the paged-results cookie; a resumable
 * per-page search costs O(N) each, docs/decisions.md). Every page activity then reads its page by number, on any
 * worker, after any restart, and the run's pages and total agree exactly. Pages are JSON text, like the page journal:
 * account values come from the source and FerretDB refuses some shapes that JSON keeps.
 */
export class StagedSource {
  constructor(
    private readonly db: Db,
    readonly runId: string,
  ) {}

  private get col() {
    return this.db.collection<TextPartDoc | StagedMetaDoc>(stagedSourceCollection(this.runId));
  }

  /**
   * Reads the whole object class into pages of `pageSize`. Idempotent: a retried staging starts from an empty
   * collection, and a pass that starts over rewrites pages under the same numbers; the meta document comes last.
   */
  async stage(connector: StagingConnector, objectClassId: string, pageSize: number, onPage: () => void = () => undefined): Promise<{ pages: number; total: number }> {
    await this.drop();
    const r = await connector.readAll(objectClassId, pageSize, async (pageNo, items) => {
      await this.writePage(pageNo, items);
      onPage();
    });
    await this.col.replaceOne({ _id: 'meta' }, { pages: r.pages, total: r.total }, { upsert: true });
    return r;
  }

  /** The staging's result, or null when the run did not stage (or staging did not finish). */
  async meta(): Promise<{ pages: number; total: number } | null> {
    const doc = (await this.col.findOne({ _id: 'meta' })) as StagedMetaDoc | null;
    return doc ? { pages: doc.pages, total: doc.total } : null;
  }

  /** The page at `position` (null: the first), with the position of the next one. */
  async readPage(position: Position | null): Promise<Page> {
    const meta = await this.meta();
    if (!meta) throw new AppError('INTERNAL_ERROR', `The accounts of run ${this.runId} were not staged`, { runId: this.runId });
    const pageNo = position === null ? 0 : pageNumber(position);
    if (pageNo > 0 && pageNo >= meta.pages) throw invalidPosition(position!, `the run staged ${meta.pages} page(s)`);
    if (meta.pages === 0) return { items: [], next: null };
    return { items: await this.readItems(pageNo), next: pageNo + 1 < meta.pages ? `staged:${pageNo + 1}` : null };
  }

  /** A run that never staged never created the collection. */
  async drop(): Promise<void> {
    await dropCollection(this.col);
  }

  /** A page is JSON text, in parts when a directory's photos or certificates make it larger than a document may be. */
  private async writePage(pageNo: number, items: ReadItem[]): Promise<void> {
    await writeTextParts(this.col as Collection<TextPartDoc>, `p${pageNo}`, JSON.stringify(items));
  }

  private async readItems(pageNo: number): Promise<ReadItem[]> {
    const text = await readTextParts(this.col as Collection<TextPartDoc>, `p${pageNo}`);
    if (text === null) throw new AppError('INTERNAL_ERROR', `Staged page ${pageNo} of run ${this.runId} is missing`, { runId: this.runId, pageNo });
    return JSON.parse(text) as ReadItem[];
  }
}

function pageNumber(position: Position): number {
  const m = POSITION.exec(position);
  if (!m) throw invalidPosition(position, 'expected staged:<page number>');
  return Number(m[1]);
}

function invalidPosition(position: Position, why: string): AppError {
  return new AppError('INTERNAL_ERROR', `Invalid staged read position ${JSON.stringify(position.slice(0, 100))}: ${why}`, { position: position.slice(0, 100) });
}
