import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections';

/** Per application, how many writes of dead shadows were completed (only ever raised). */
interface AppliedDoc {
  _id: string;
  applied: number;
}

/** A write of dead shadows of `applicationId` in progress (or interrupted) for run `runId`. */
interface InFlightDoc {
  _id: string;
  applicationId: string;
  runId: string;
}

/** What {@link ShadowDeaths.read} saw: compare two to know whether a shadow of the application died in between. */
export interface DeathsReading {
  applied: number;
  inFlight: boolean;
}

/**
 * A ledger of the writes that make shadows dead, so that a reconciliation can prove that no shadow of its application
 * died while it ran (seen-count.ts). Every such write goes through {@link ShadowDeaths.around}: a document saying it
 * is in flight is inserted before, and after it the application's counter is raised, then that document deleted.
 * Whoever reads the counter and then finds no write in flight at time t, and later finds the same counter and none
 * in flight again, knows that no death was written in between: one begun before t was still in flight at t; one
 * begun after t is either still in flight or has raised the counter by then.
 *
 * A write interrupted by a crash leaves its document until the page is retried or its run ends
 * ({@link ShadowDeaths.forgetRun}, which raises the counter for it), so it only ever makes a reader count less on the
 * ledger, never more.
 */
export class ShadowDeaths {
  constructor(private readonly db: Db) {}

  private get applied() {
    return this.db.collection<AppliedDoc>(COLLECTIONS.shadowDeaths);
  }

  private get inFlight() {
    return this.db.collection<InFlightDoc>(COLLECTIONS.shadowDeathsInFlight);
  }

  /** Runs `write` (which makes shadows of `applicationIds` dead) between the ledger's two marks. */
  async around<T>(runId: string, applicationIds: string[], write: () => Promise<T>): Promise<T> {
    if (applicationIds.length === 0) return write();
    const docs = applicationIds.map((applicationId) => ({ _id: `${runId}:${randomUUID()}`, applicationId, runId }));
    await this.inFlight.insertMany(docs);
    const result = await write();
    await this.settle(docs);
    return result;
  }

  /** The counter first, then the writes in flight: the order {@link ShadowDeaths} reasons with. */
  async read(applicationId: string): Promise<DeathsReading> {
    const doc = await this.applied.findOne({ _id: applicationId });
    const inFlight = await this.inFlight.findOne({ applicationId }, { projection: { _id: 1 } });
    return { applied: doc?.applied ?? 0, inFlight: inFlight !== null };
  }

  /** A run that ends settles the writes it left in flight (a page that crashed and was never retried). */
  async forgetRun(runId: string): Promise<void> {
    await this.settle(await this.inFlight.find({ runId }).toArray());
  }

  private async settle(docs: InFlightDoc[]): Promise<void> {
    for (const applicationId of new Set(docs.map((d) => d.applicationId)))
      await this.applied.updateOne({ _id: applicationId }, { $inc: { applied: 1 } }, { upsert: true });
    if (docs.length > 0) await this.inFlight.deleteMany({ _id: { $in: docs.map((d) => d._id) } });
  }
}

/** Whether no shadow of the application died between two readings (and none was being written dead at either). */
export function noDeathBetween(before: DeathsReading, after: DeathsReading): boolean {
  return !before.inFlight && !after.inFlight && before.applied === after.applied;
}
