import type { Db } from 'mongodb';
import { findByIds } from './by-ids';

interface EpochDoc {
  _id: string;
  epoch: number;
}

export const SHADOW_EPOCHS = 'shadowEpochs';

/**
 * Per application, a counter that synchronization runs raise after they wrote shadows of it (situations, links,
 * deaths). Provisioning records the counter in the basis of each account it checked (provisioning-basis.ts): a
 * shadow changed by anything but provisioning itself shows as a new epoch, and every account of the application is
 * compared again on the next run. Raised after the writes, so a provisioning page that read the epoch before them
 * records the old value and the next run compares again.
 */
export class ShadowEpochs {
  constructor(private readonly db: Db) {}

  private get col() {
    return this.db.collection<EpochDoc>(SHADOW_EPOCHS);
  }

  /** Epoch per application; an application never synchronized is at 0. */
  async get(applicationIds: string[]): Promise<Map<string, number>> {
    const found = await findByIds(this.col, applicationIds);
    return new Map(applicationIds.map((id) => [id, found.get(id)?.epoch ?? 0]));
  }

  /** Raising twice (a retried page) is harmless: it only makes the next provisioning run compare again. */
  async raise(applicationId: string): Promise<void> {
    await this.col.updateOne({ _id: applicationId }, { $inc: { epoch: 1 } }, { upsert: true });
  }
}
