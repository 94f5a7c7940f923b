import type { Db } from 'mongodb';
import type { RunKind } from './task-runs';

export interface JobEventDoc {
  _id: string; // `<kind>/<taskDefinitionId>`: one summary document per scheduled job (an `_id` look-up)
  lastFired: { at: string; instanceId: string } | null;
  lastSkipped: { at: string; reason: string } | null;
  fired: number;
  skipped: number;
}

/** What a scheduled job did: firings that started a run, and firings skipped because a run was in progress. */
export class JobEvents {
  constructor(private readonly db: Db) {}

  private get col() {
    return this.db.collection<JobEventDoc>('jobEvents');
  }

  async record(kind: RunKind, taskDefinitionId: string, e: { type: 'FIRED'; instanceId: string } | { type: 'SKIPPED'; reason: string }): Promise<void> {
    const at = new Date().toISOString();
    const update =
      e.type === 'FIRED'
        ? { $set: { lastFired: { at, instanceId: e.instanceId } }, $inc: { fired: 1 } }
        : { $set: { lastSkipped: { at, reason: e.reason } }, $inc: { skipped: 1 } };
    await this.col.updateOne({ _id: `${kind}/${taskDefinitionId}` }, update, { upsert: true });
  }

  async get(kind: RunKind, taskDefinitionId: string): Promise<JobEventDoc | null> {
    return this.col.findOne({ _id: `${kind}/${taskDefinitionId}` });
  }
}
