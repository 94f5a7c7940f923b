import type { Db } from 'mongodb';
import type { ErrorRepresentation } from '../errors';
import type { Counters } from '../engine/outcome';
import { COLLECTIONS } from './collections';
import { logRunErrors } from '../engine/error-log';

export type RunKind = 'SYNC' | 'PROVISIONING';
export type ProgressStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'COMPLETED';
export type OutcomeStatus = 'SUCCESS' | 'PARTIAL' | 'FAILURE' | 'ABORTED';

/**
 * One task run (a task instance), written at page boundaries by the workflow's activities so history outlives
 * Temporal's retention and the API reads it without a worker (ARCHITECTURE.md §3).
 */
export interface TaskRunDoc {
  _id: string; // the instance id users see
  kind: RunKind;
  taskDefinitionId: string;
  taskType: string;
  workflowId: string;
  trigger: 'REST' | 'SCHEDULE';
  progressStatus: ProgressStatus;
  outcomeStatus: OutcomeStatus | null;
  startDate: string;
  endDate: string | null;
  numberOfEntriesToProcess: number;
  /**
   * The accounts (or objects) of the run's first phase, set when its second phase starts: the shadows a reconciliation
   * found deleted, or the orphaned accounts of a provisioning, are then added to numberOfEntriesToProcess.
   */
  scannedTotal?: number;
  counters: Counters;
  /** `_id`s of the taskErrors documents of this run (one per page that had errors) */
  errorPages: string[];
  /** page activities that ran more than once (crash recovery, retries) */
  pagesRetried?: number;
  /** pages whose plan was decided while the page before was applied (activities/decide-ahead.ts) */
  pagesDecidedAhead?: number;
  /** why the run could not proceed (FAILURE) */
  failure: ErrorRepresentation | null;
  updatedAt: string;
}

interface ErrorPageDoc {
  _id: string;
  runId: string;
  errors: ErrorRepresentation[];
}

export class TaskRunStore {
  constructor(private readonly db: Db) {}

  private get runs() {
    return this.db.collection<TaskRunDoc>(COLLECTIONS.taskRuns);
  }
  private get errors() {
    return this.db.collection<ErrorPageDoc>(COLLECTIONS.taskErrors);
  }

  get(id: string): Promise<TaskRunDoc | null> {
    return this.runs.findOne({ _id: id });
  }

  /** Creates the run if it is not there yet (the API and the workflow's first activity may race). */
  async createIfAbsent(doc: TaskRunDoc): Promise<void> {
    try {
      await this.runs.insertOne(doc);
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
  }

  async delete(id: string): Promise<void> {
    await this.runs.deleteOne({ _id: id });
  }

  async update(id: string, fields: Partial<Omit<TaskRunDoc, '_id'>>): Promise<void> {
    await this.runs.updateOne({ _id: id }, { $set: { ...fields, updatedAt: new Date().toISOString() } });
  }

  /** Runs of a definition (or all), newest first. Small collection: a scan is fine even on FerretDB. */
  async list(kind: RunKind, taskDefinitionId?: string): Promise<TaskRunDoc[]> {
    const filter = taskDefinitionId === undefined ? { kind } : { kind, taskDefinitionId };
    const docs = await this.runs.find(filter).toArray();
    return docs.sort((a, b) => (a.startDate < b.startDate ? 1 : a.startDate > b.startDate ? -1 : 0));
  }

  /** Saves the errors of one page under a deterministic id (a retried page overwrites, never duplicates). */
  async saveErrorPage(runId: string, pageKey: string, errors: ErrorRepresentation[]): Promise<string | null> {
    if (errors.length === 0) return null;
    const _id = `${runId}:${pageKey}`;
    await this.errors.replaceOne({ _id }, { runId, errors }, { upsert: true });
    logRunErrors(runId, errors);
    return _id;
  }

  /** The errors of a run's pages, read a page at a time (a report of a large run never holds them all). */
  async *pageErrors(run: TaskRunDoc): AsyncGenerator<ErrorRepresentation> {
    for (const id of run.errorPages ?? []) yield* (await this.errors.findOne({ _id: id }))?.errors ?? [];
  }

  /** Saves errors found outside the pages (post-processing) as a page of the run's errors. */
  async addErrors(runId: string, pageKey: string, errors: ErrorRepresentation[]): Promise<void> {
    const page = await this.saveErrorPage(runId, pageKey, errors);
    if (page) await this.runs.updateOne({ _id: runId }, { $addToSet: { errorPages: page } });
  }

  async errorsOf(run: TaskRunDoc): Promise<ErrorRepresentation[]> {
    const pages = await Promise.all((run.errorPages ?? []).map((id) => this.errors.findOne({ _id: id })));
    return [...(run.failure ? [run.failure] : []), ...pages.flatMap((p) => p?.errors ?? [])];
  }
}
