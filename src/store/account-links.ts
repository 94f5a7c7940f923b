import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { ShadowKind } from '../config/enums';
import { deterministicId } from '../engine/ids';
import { findByIds } from './by-ids';

/**
 * Which account an IDM object has on an application (ARCHITECTURE.md §4): `_id` derived from (application,
 * shadow kind, IDM object id) → the shadow's id. Shadows are keyed by the account's __UID__, which an object does
 * not know; this small collection turns "the object's account" into an `_id` look-up (the only filter FerretDB
 * pushes down) instead of a query on `shadows.owners`. Provisioning writes it together with the shadow.
 */
export interface AccountLinkDoc {
  _id: string;
  applicationId: string;
  shadowKind: ShadowKind;
  objectId: string;
  shadowId: string;
}

export const ACCOUNT_LINKS = 'accountLinks';

export const accountLinkId = (applicationId: string, shadowKind: ShadowKind, objectId: string): string =>
  deterministicId('accountLink', applicationId, shadowKind, objectId);

export class AccountLinks {
  constructor(private readonly db: Db) {}

  private get col() {
    return this.db.collection<AccountLinkDoc>(ACCOUNT_LINKS);
  }

  /** The map is keyed by link `_id`. */
  getMany(ids: Iterable<string>): Promise<Map<string, AccountLinkDoc>> {
    return findByIds(this.col, ids);
  }

  /** Absolute writes (full documents, deletes by `_id`): applying them twice leaves the same state. */
  async apply(upserts: AccountLinkDoc[], deletes: string[]): Promise<void> {
    const ops: AnyBulkWriteOperation<AccountLinkDoc>[] = [
      ...upserts.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
      ...deletes.map((id) => ({ deleteOne: { filter: { _id: id } } })),
    ];
    if (ops.length) await this.col.bulkWrite(ops, { ordered: true });
  }
}
