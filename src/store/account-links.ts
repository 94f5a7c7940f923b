import type { AnyBulkWriteOperation, Db } from 'mongodb';
import type { ShadowKind } from '../config/enums';
import { deterministicId } from '../engine/ids';
import { inCommands, insertOrElse, replaceById } from './bulk-writes';
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
  /** what the account was last checked and found right from (outbound/basis.ts); absent: check it */
  basis?: string;
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

  /** The links of the accounts on these applications: which object owns which shadow, nothing more. */
  ofApplications(applicationIds: string[]): AsyncIterable<Pick<AccountLinkDoc, 'objectId' | 'shadowId'>> {
    return this.col.find({ applicationId: { $in: applicationIds } }, { projection: { _id: 0, objectId: 1, shadowId: 1 } });
  }

  /**
   * Absolute writes (full documents, deletes by `_id`): applying them twice leaves the same state. Links in `newIds`
   * are believed not to exist yet and are inserted (the fast path on FerretDB), replaced if they exist after all.
   */
  async apply(upserts: AccountLinkDoc[], deletes: string[], newIds: ReadonlySet<string> = new Set()): Promise<void> {
    await insertOrElse(this.col, upserts.filter((d) => newIds.has(d._id)), replaceById);
    const ops: AnyBulkWriteOperation<AccountLinkDoc>[] = [
      ...upserts.filter((d) => !newIds.has(d._id)).map(replaceById),
      ...deletes.map((id) => ({ deleteOne: { filter: { _id: id } } })),
    ];
    await inCommands(ops, (chunk) => this.col.bulkWrite(chunk, { ordered: true }));
  }
}
