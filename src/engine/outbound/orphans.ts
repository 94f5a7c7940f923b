import type { AccountLinkDoc } from '../../store/account-links';
import { batchesOf } from '../../store/batches';
import type { IdmObjectStore } from '../../store/idm-objects';
import type { SeenMarks } from '../../store/seen-marks';
import type { ShadowStore } from '../../store/shadows';

export interface OrphanDeps {
  idm: IdmObjectStore;
  shadows: ShadowStore;
  /** the objects this run's scope pages found in the repository */
  seen: SeenMarks;
}

/**
 * The accounts provisioning made for IDM objects that are no longer in the repository, in the order of `links`.
 *
 * Found through the account links (small documents) rather than the shadows, whose recorded attributes and
 * memberships make a full scan several times dearer. An object the run's scope pages found is marked seen, so
 * only links to unmarked objects (outside the scope, or gone) cost an IDM look-up, and only the shadows of gone
 * objects are read. A shadow is an orphan when it is live, was made by a profile, and every owner is gone.
 */
export async function* orphanedAccounts(deps: OrphanDeps, links: AsyncIterable<Pick<AccountLinkDoc, 'objectId' | 'shadowId'>>, batchSize: number): AsyncGenerator<{ _id: string }> {
  for await (const batch of batchesOf(links, batchSize)) yield* await orphansAmong(deps, batch);
}

async function orphansAmong(deps: OrphanDeps, links: Array<Pick<AccountLinkDoc, 'objectId' | 'shadowId'>>): Promise<Array<{ _id: string }>> {
  const marked = await deps.seen.getMany(links.map((l) => l.objectId));
  const unmarked = links.filter((l) => !marked.has(l.objectId));
  if (unmarked.length === 0) return [];
  const present = await deps.idm.getMany(unmarked.map((l) => l.objectId));
  const shadowIds = [...new Set(unmarked.filter((l) => !present.has(l.objectId)).map((l) => l.shadowId))];
  if (shadowIds.length === 0) return [];
  const stored = await deps.shadows.getMany(shadowIds);
  const candidates = shadowIds.flatMap((id) => {
    const s = stored.get(id);
    return s && !s.dead && s.profileId ? [s] : [];
  });
  const owners = await deps.idm.getMany(candidates.flatMap((s) => s.owners));
  return candidates.filter((s) => s.owners.length > 0 && s.owners.every((o) => !owners.has(o))).map((s) => ({ _id: s._id }));
}
