import type { ErrorRepresentation } from '../../errors';
import { accountLinkId, type AccountLinkDoc, type AccountLinks } from '../../store/account-links';
import type { IdmObject } from '../../store/idm-model';
import type { IdmObjectStore } from '../../store/idm-objects';
import type { PagePlan } from '../../store/page-journal';
import type { ShadowDoc, ShadowStore } from '../../store/shadows';
import { emptyCounters, type Counters } from '../counters';
import { readAhead } from '../read-ahead';
import { reconcileAccount, type AccountEnv, type AccountResult } from './account';
import { OutboundAction } from './actions';
import { accountBasis, objectVersion } from './basis';
import type { RetryEnv } from './retry';
import { matchingProfiles, type ProvisioningTarget } from './targets';
import type { SnapshotEntry } from '../../store/snapshots';
import { checkDirectory, type DirectoryFinding } from './directory-check';

export interface OutboundRun {
  runId: string;
  targets: ProvisioningTarget[];
}

export interface OutboundDeps extends RetryEnv {
  idm: IdmObjectStore;
  shadows: ShadowStore;
  links: AccountLinks;
  /** the script engine's count of evaluations that read the clock or randomness (ScriptEngine.impureEvaluations) */
  purity: { readonly impureEvaluations: number };
}

/** What happened to one IDM object of the scope (or one orphaned account) on every target. */
export interface OutboundOutcome {
  line: number;
  idmObjectId: string;
  actions: string[];
  errors: ErrorRepresentation[];
}

/** A page's Mongo writes (shadows in the common plan, links beside them) and its outcomes, journaled as one. */
export type OutboundPlan = PagePlan<OutboundOutcome> & { linkUpserts: AccountLinkDoc[]; linkDeletes: string[]; newLinkIds?: string[] };

export function countOutbound(outcomes: OutboundOutcome[]): Counters {
  const c = emptyCounters();
  for (const o of outcomes) {
    c.processed++;
    c.errors += o.errors.length;
    for (const a of o.actions) c.actions[a] = (c.actions[a] ?? 0) + 1;
  }
  return c;
}

/** Collects the results of a page's accounts into the plan the activity journals and applies. */
class PlanBuilder {
  readonly plan: OutboundPlan = { objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], shadowUpserts: [], seenMarks: [], outcomes: [], linkUpserts: [], linkDeletes: [], newShadowIds: [], newLinkIds: [] };

  add(outcome: OutboundOutcome, r: AccountResult, linkId: string): void {
    outcome.actions.push(...r.actions);
    if (r.error) outcome.errors.push(r.error);
    this.plan.shadowUpserts.push(...r.shadows);
    if (r.link === 'delete') this.plan.linkDeletes.push(linkId);
    else if (r.link) this.plan.linkUpserts.push(r.link);
    // a hint: a shadow or link that exists after all is replaced instead (PageJournal.apply, AccountLinks.apply)
    if (r.created && r.link && r.link !== 'delete') {
      this.plan.newShadowIds!.push(r.link.shadowId);
      this.plan.newLinkIds!.push(linkId);
    }
  }
}

/** What the accounts of one page share: the page's clock and the accounts it claimed. */
function pageEnv(deps: OutboundDeps): AccountEnv {
  return { now: new Date().toISOString(), shadows: deps.shadows, claimed: new Map(), sleep: deps.sleep, heartbeat: deps.heartbeat };
}

/** Objects per read-ahead chunk of a scope page: reads of the next chunk overlap the work on this one. */
export const READ_AHEAD_CHUNK = 100;

/** What a page reads first, at once: its links and, when a target's directory is checked, every linked shadow. */
interface PageReads {
  links: Map<string, AccountLinkDoc>;
  /** every linked shadow of the page, when some target's directory is checked; else null (read per chunk) */
  shadows: Map<string, ShadowDoc> | null;
  /** by shadow id, the linked accounts the directory shows deleted or changed by hand (directory-check.ts) */
  directory: Map<string, DirectoryFinding>;
}

interface ScopeChunk {
  /** the objects that need a check on some target, and the live shadows their links name */
  objects: Map<string, IdmObject>;
  shadows: Map<string, ShadowDoc>;
}

const linkIdOf = (t: ProvisioningTarget, objectId: string) => accountLinkId(t.compiled.app.id, t.shadowKind, objectId);

/** Whether the account was last checked from exactly this object version and target configuration (basis.ts). */
const unchangedSince = (t: ProvisioningTarget, entry: SnapshotEntry, link: AccountLinkDoc | undefined): boolean =>
  entry.version !== undefined && link?.basis !== undefined && link.basis === accountBasis(t.basis, entry.version);

const linkedShadowIds = (run: OutboundRun, links: Map<string, AccountLinkDoc>, of: SnapshotEntry[]) =>
  of.flatMap((e) => run.targets.flatMap((t) => links.get(linkIdOf(t, e._id))?.shadowId ?? []));

/**
 * The page's first reads: the links of its (object, target) pairs. When a target's directory can be read many
 * accounts at a time, every linked shadow of the page and its account are read too, in a few requests, to find the
 * accounts deleted or changed by hand.
 */
async function pageReads(run: OutboundRun, deps: OutboundDeps, entries: SnapshotEntry[]): Promise<PageReads> {
  const links = await deps.links.getMany(entries.flatMap((e) => run.targets.map((t) => linkIdOf(t, e._id))));
  if (!run.targets.some((t) => t.connector.getMany !== undefined)) return { links, shadows: null, directory: new Map() };
  const shadows = await deps.shadows.getMany(linkedShadowIds(run, links, entries));
  return { links, shadows, directory: await checkDirectory(run.targets, shadows.values(), deps) };
}

/** Whether an account must be checked: its basis changed, or the directory does not hold what was recorded. */
function needsCheck(page: PageReads, t: ProvisioningTarget, entry: SnapshotEntry): boolean {
  const link = page.links.get(linkIdOf(t, entry._id));
  return !unchangedSince(t, entry, link) || (link !== undefined && page.directory.has(link.shadowId));
}

/**
 * The reads of a chunk of the scope, only for the objects some pair of which needs a check: the objects, and (when
 * the page did not read them all) their linked shadows, concurrently.
 */
async function scopeReads(run: OutboundRun, deps: OutboundDeps, page: PageReads, entries: SnapshotEntry[]): Promise<ScopeChunk> {
  const checked = entries.filter((e) => run.targets.some((t) => needsCheck(page, t, e)));
  const [objects, shadows] = await Promise.all([deps.idm.getMany(checked.map((e) => e._id)), page.shadows ?? deps.shadows.getMany(linkedShadowIds(run, page.links, checked))]);
  return { objects, shadows };
}

/** What a check of an account found right is recorded on its link; a failed or impure check clears the record. */
function recordBasis(r: AccountResult, stored: AccountLinkDoc | undefined, basis: string | undefined): void {
  const link = r.link === 'delete' ? null : (r.link ?? stored);
  if (!link || link.basis === basis) return;
  const { basis: _old, ...rest } = link;
  r.link = basis === undefined ? rest : { ...rest, basis };
}

/**
 * One page of the frozen scope (ids in sort order, with the object versions seen by the freeze): every object is
 * brought to what the profiles of every target say. An account whose link records the basis it would be checked
 * from now (same object version, same target configuration, no shadow change by a synchronization) is UNCHANGED
 * without reading the object, the shadow or evaluating a rule. Objects deleted since the snapshot are treated as
 * gone (their accounts deprovisioned). Directory writes happen here, entry by entry (each safe to repeat); the Mongo
 * writes are returned as a plan, with a seen mark for every object found, from which the orphan pass knows the
 * objects that exist without reading them again.
 */
export async function provisionObjectsPage(run: OutboundRun, deps: OutboundDeps, entries: SnapshotEntry[], firstLine: number): Promise<OutboundPlan> {
  const env = pageEnv(deps);
  const out = new PlanBuilder();
  let line = firstLine;
  const page = await pageReads(run, deps, entries);
  for await (const { chunk, data } of readAhead(entries, READ_AHEAD_CHUNK, (c) => scopeReads(run, deps, page, c))) {
    for (const entry of chunk) {
      const id = entry._id;
      const outcome: OutboundOutcome = { line: line++, idmObjectId: id, actions: [], errors: [] };
      const object = data.objects.get(id) ?? null;
      let found = object !== null;
      for (const t of run.targets) {
        const linkId = linkIdOf(t, id);
        const link = page.links.get(linkId);
        const finding = link ? page.directory.get(link.shadowId) : undefined;
        if (unchangedSince(t, entry, link) && !finding) {
          found = true;
          out.add(outcome, { actions: [OutboundAction.UNCHANGED], shadows: [], link: null, created: false }, linkId);
          continue;
        }
        const impureBefore = deps.purity.impureEvaluations;
        const matching = object ? await matchingProfiles(t, object) : [];
        const shadow = finding && !finding.missing ? finding.shadow : link ? data.shadows.get(link.shadowId) : undefined;
        const r = await reconcileAccount(t, env, { objectId: id, object }, matching, { linkId, shadow, missing: finding?.missing ?? false });
        const version = object ? objectVersion(object) : undefined;
        const pure = deps.purity.impureEvaluations === impureBefore;
        recordBasis(r, shadow ? link : undefined, version !== undefined && pure && !r.error ? accountBasis(t.basis, version) : undefined);
        out.add(outcome, r, linkId);
      }
      if (found) out.plan.seenMarks!.push({ _id: id, line: outcome.line });
      deps.heartbeat();
      out.plan.outcomes.push(outcome);
    }
  }
  return out.plan;
}

/**
 * One page of orphaned accounts: live outbound shadows whose owner is no longer in the repository. Each one gets
 * the deprovisioning action of the profile that created it.
 */
export async function deprovisionOrphansPage(run: OutboundRun, deps: OutboundDeps, shadowIds: string[], firstLine: number): Promise<OutboundPlan> {
  const shadows = await deps.shadows.getMany(shadowIds);
  const env = pageEnv(deps);
  const out = new PlanBuilder();
  for (const [i, id] of shadowIds.entries()) {
    const s = shadows.get(id);
    const ownerId = s?.owners[0] ?? '';
    const outcome: OutboundOutcome = { line: firstLine + i, idmObjectId: ownerId, actions: [], errors: [] };
    const t = s && run.targets.find((x) => x.compiled.app.id === s.applicationId && x.shadowKind === s.shadowKind);
    if (s && t) {
      const linkId = accountLinkId(t.compiled.app.id, t.shadowKind, ownerId);
      out.add(outcome, await reconcileAccount(t, env, { objectId: ownerId, object: null }, [], { linkId, shadow: s }), linkId);
    }
    deps.heartbeat();
    out.plan.outcomes.push(outcome);
  }
  return out.plan;
}
