import type { ShadowDoc } from '../../store/shadows';
import { correctedRecord } from './account-diff';
import { withRetry, type RetryEnv } from './retry';
import type { ProvisioningTarget } from './targets';

/** What the directory says of a linked account: gone, or its shadow with the record corrected by the directory. */
export type DirectoryFinding = { missing: true } | { missing: false; shadow: ShadowDoc };

/**
 * Reads the accounts that the given shadows record, from each target whose connector can read many at once, and
 * returns, by shadow id, those that are not what the record says: deleted, or changed by hand (SPEC.md §3.5: an
 * object matching a profile must have its account, and seed 000: "really exist and are up-to-date"). The accounts
 * found as recorded are not listed: a run may still skip them (basis.ts). Group memberships are not read.
 */
export async function checkDirectory(targets: readonly ProvisioningTarget[], shadows: Iterable<ShadowDoc>, env: RetryEnv): Promise<Map<string, DirectoryFinding>> {
  const findings = new Map<string, DirectoryFinding>();
  const all = [...shadows];
  for (const t of targets) {
    const getMany = t.connector.getMany?.bind(t.connector);
    if (!getMany) continue;
    const recorded = all.filter((s) => !s.dead && s.attributes && s.applicationId === t.compiled.app.id && s.shadowKind === t.shadowKind);
    if (recorded.length === 0) continue;
    const accounts = await withRetry(t.retryPolicy, env, () => getMany(t.objectClassId, recorded.map((s) => s.uid)));
    for (const s of recorded) {
      const account = accounts.get(s.uid);
      if (!account) {
        findings.set(s._id, { missing: true });
        continue;
      }
      const attributes = correctedRecord(s.attributes!, account, t.objectClassId);
      if (attributes) findings.set(s._id, { missing: false, shadow: { ...s, attributes } });
    }
  }
  return findings;
}
