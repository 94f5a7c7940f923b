import type { ErrorRepresentation } from '../../errors';
import { accountLinkId, type AccountLinkDoc, type AccountLinks } from '../../store/account-links';
import type { IdmObject } from '../../store/idm-model';
import type { IdmObjectStore } from '../../store/idm-objects';
import type { PagePlan } from '../../store/page-journal';
import type { ShadowDoc, ShadowStore } from '../../store/shadows';
import { emptyCounters, type Counters } from '../counters';
import { readAhead } from '../read-ahead';
import { reconcileAccount, type AccountEnv, type AccountResult, type Owner } from './account';
import type { RetryEnv } from './retry';
import { matchingProfiles, type ProvisioningTarget } from './targets';

export interface OutboundRun {
  runId: string;
  targets: ProvisioningTarget[];
}

export interface OutboundDeps extends RetryEnv {
  idm: IdmObjectStore;
  shadows: ShadowStore;
  links: AccountLinks;
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

/** The links and linked live shadows of (object, target) pairs, fetched with concurrent `_id` look-ups. */
async function linkedShadows(deps: OutboundDeps, linkIds: string[]): Promise<Map<string, ShadowDoc>> {
  const links = await deps.links.getMany(linkIds);
  const shadows = await deps.shadows.getMany([...links.values()].map((l) => l.shadowId));
  const out = new Map<string, ShadowDoc>();
  for (const [id, link] of links) {
    const s = shadows.get(link.shadowId);
    if (s) out.set(id, s);
  }
  return out;
}

/** Objects per read-ahead chunk of a scope page: reads of the next chunk overlap the work on this one. */
export const READ_AHEAD_CHUNK = 100;

/** The objects of a chunk of the scope and the linked shadows of their (object, target) pairs. */
async function scopeReads(run: OutboundRun, deps: OutboundDeps, ids: string[]): Promise<[Map<string, IdmObject>, Map<string, ShadowDoc>]> {
  const linkIds = ids.flatMap((id) => run.targets.map((t) => accountLinkId(t.compiled.app.id, t.shadowKind, id)));
  return Promise.all([deps.idm.getMany(ids), linkedShadows(deps, linkIds)]);
}

/**
 * One page of the frozen scope (ids in sort order): every object is brought to what the profiles of every target
 * say. Objects deleted since the snapshot are treated as gone (their accounts deprovisioned). Directory writes
 * happen here, entry by entry (each safe to repeat); the Mongo writes are returned as a plan, with a seen mark for
 * every object found, from which the orphan pass knows the objects that exist without reading them again.
 */
export async function provisionObjectsPage(run: OutboundRun, deps: OutboundDeps, ids: string[], firstLine: number): Promise<OutboundPlan> {
  const env = pageEnv(deps);
  const out = new PlanBuilder();
  let line = firstLine;
  for await (const { chunk, data } of readAhead(ids, READ_AHEAD_CHUNK, (c) => scopeReads(run, deps, c))) {
    const [objects, linked] = data;
    for (const id of chunk) {
      const object = objects.get(id) ?? null;
      const owner: Owner = { objectId: id, object };
      const outcome: OutboundOutcome = { line: line++, idmObjectId: id, actions: [], errors: [] };
      if (object) out.plan.seenMarks!.push({ _id: id, line: outcome.line });
      for (const t of run.targets) {
        const linkId = accountLinkId(t.compiled.app.id, t.shadowKind, id);
        const matching = object ? await matchingProfiles(t, object) : [];
        out.add(outcome, await reconcileAccount(t, env, owner, matching, { linkId, shadow: linked.get(linkId) }), linkId);
      }
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
