import { isDeepStrictEqual } from 'node:util';
import type { Situation } from '../../config/enums';
import type { Account, Connector, ReadItem } from '../../connectors/types';
import { AppError } from '../../errors';
import type { IdmObjectStore } from '../../store/idm-objects';
import { flatIdmObject, type IdmObject } from '../../store/idm-model';
import type { PagePlan } from '../../store/page-journal';
import { carriedMark, type SeenMarkDoc, type SeenMarks } from '../../store/seen-marks';
import type { ShadowDoc, ShadowStore } from '../../store/shadows';
import type { ObjectFinderFn, ScriptContext } from '../../scripting/types';
import { correlationAttributes, pickByType, type CompiledApplication } from '../compiled-application';
import { shadowId } from '../ids';
import { entryError, shadowSubject, type EntryOutcome } from '../outcome';
import { PageState } from '../page-state';
import { planFromState } from '../page-plan';
import { startedEarly } from '../read-ahead';
import { migrationForbidden, OWNER_ACTIONS, runActions } from './actions';
import { customCandidates, kindMatches, normalizedInputs, simpleCandidates, verifySimple } from './correlate';
import { decideActions, type SyncTaskType } from './decide';
import { resolveAccount, type Resolved } from './resolve';

export interface InboundRun {
  runId: string;
  taskType: SyncTaskType;
  objectClassId: string;
  compiled: CompiledApplication;
}

export interface InboundDeps {
  idm: IdmObjectStore;
  shadows: ShadowStore;
  /** what this run has read so far */
  seen: SeenMarks;
  connector: Connector | null;
  /** IDM attributes whose correlation keys are maintained */
  tracked: readonly string[];
  objectFinder: ObjectFinderFn;
  /** the script engine's count of evaluations that read the clock or randomness (mapping-basis.ts) */
  purity: { readonly impureEvaluations: number };
}

interface Entry {
  index: number;
  line: number;
  account: Account;
  resolved: Resolved;
  shadow: ShadowDoc; // working copy
  existed: ShadowDoc | undefined;
  ctx: ScriptContext;
  situation?: Situation;
  candidateId: string | null;
  candidates: string[];
}

function newShadow(id: string, run: InboundRun, account: Account, r: Resolved, now: string): ShadowDoc {
  return {
    _id: id,
    applicationId: run.compiled.app.id,
    objectClassId: run.objectClassId,
    shadowKind: r.objectSync.def.shadowKind,
    uid: account.uid,
    name: account.name,
    objectType: r.objectType,
    owners: [],
    dead: false,
    generation: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Decides one page of accounts (SPEC.md §5, seed "Synchronization Situations"): type resolution, situation,
 * correlation, actions, mappings. Reads go to the stores in batches of `_id` look-ups; writes are returned as a plan
 * for the caller to journal and apply, with a seen mark for every account read (carried by the shadow when the page
 * writes it). A shadow is only written when it changed, so a page of unchanged accounts writes nothing but its marks.
 * Account-side actions (REMOVE/INACTIVATE_ACCOUNT) go to the connector at once: they are idempotent on a retry.
 */
export async function decideAccountsPage(run: InboundRun, deps: InboundDeps, items: ReadItem[]): Promise<PagePlan<EntryOutcome>> {
  assertCorrelationTracked(run.compiled, deps.tracked);
  const now = new Date().toISOString();
  const outcomes: EntryOutcome[] = new Array(items.length);
  const entries: Entry[] = [];
  /** accounts that exist but are not processed (source error, disabled, failed resolution): only marked seen */
  const seenOnly: Array<{ uid: string; line: number }> = [];
  const uidLines = new Map<string, number>();
  // The shadows and seen marks of every uid of the page are read while step 1 runs its scripts (step 2 needs a
  // subset of them): FerretDB works while the worker does.
  const idOf = new Map<string, string>(); // each uid's shadow id, hashed once
  for (const item of items) {
    const uid = item.ok ? item.account.uid : item.uid;
    if (uid !== undefined && !idOf.has(uid)) idOf.set(uid, shadowId(run.compiled.app.id, run.objectClassId, uid));
  }
  const pageIds = [...idOf.values()];
  const lookups = startedEarly(Promise.all([deps.shadows.getMany(pageIds), deps.seen.getMany(pageIds)]));

  // 1. object type and sub-configuration; per-row source errors; duplicates inside the page
  for (const [index, item] of items.entries()) {
    if (!item.ok) {
      outcomes[index] = { line: item.line, uid: item.uid, name: item.name, actions: [], error: entryError(new AppError('SOURCE_ROW_ERROR', item.message, {}, 'Correct the row in the source'), { line: item.line, uid: item.uid, name: item.name }) };
      if (item.uid !== undefined && !uidLines.has(item.uid)) seenOnly.push({ uid: item.uid, line: item.line });
      continue;
    }
    const { account, line } = item;
    const who = { uid: account.uid, name: account.name, line };
    const first = uidLines.get(account.uid);
    if (first !== undefined) {
      outcomes[index] = { ...who, actions: [], error: entryError(duplicateUid(account.uid, first), who) };
      continue;
    }
    uidLines.set(account.uid, line);
    try {
      const resolved = await resolveAccount(run.compiled, run.objectClassId, account);
      if (resolved.objectSync.def.enabled === false) {
        outcomes[index] = { ...who, actions: [], skipped: true };
        seenOnly.push({ uid: account.uid, line });
        continue;
      }
      const id = idOf.get(account.uid)!;
      entries.push({ index, line, account, resolved, shadow: newShadow(id, run, account, resolved, now), existed: undefined, ctx: { ACCOUNT: account.attributes, OBJECT_TYPE: resolved.objectType }, candidateId: null, candidates: [] });
    } catch (e) {
      outcomes[index] = { ...who, actions: [], error: entryError(e, who) };
      seenOnly.push({ uid: account.uid, line });
    }
  }

  // 2. shadows and seen marks (one batched look-up each); a uid this run already read on another line is a duplicate
  const seenOnlyIds = seenOnly.map((x) => ({ ...x, id: idOf.get(x.uid)! }));
  const [stored, marked] = await lookups;
  const state = new PageState();
  const seen: SeenMarkDoc[] = [];
  // Accounts that exist but were not processed must not be taken for deleted by the deleted detection.
  for (const x of seenOnlyIds) {
    const s = stored.get(x.id);
    if (s) seen.push(markOf(s, x.line));
  }
  const live: Entry[] = [];
  for (const e of entries) {
    const s = stored.get(e.shadow._id);
    e.existed = s;
    const mark = marked.get(e.shadow._id) ?? deps.seen.carried(s);
    if (mark && mark.line !== e.line) {
      outcomes[e.index] = { line: e.line, uid: e.account.uid, name: e.account.name, actions: [], error: entryError(duplicateUid(e.account.uid, mark.line), { uid: e.account.uid, name: e.account.name, line: e.line }) };
      continue;
    }
    if (s) {
      // A dead shadow whose account reappears is a new account: new generation, no owner, correlation decides.
      const base = s.dead ? { ...s, dead: false, owners: [], generation: s.generation + 1 } : s;
      e.shadow = { ...base, owners: [...base.owners], name: e.account.name, objectType: e.resolved.objectType, shadowKind: e.resolved.objectSync.def.shadowKind };
    }
    live.push(e);
  }

  // 3. owners of the linked shadows; links to objects deleted meanwhile are dropped, so those accounts correlate again
  const owners = await deps.idm.getMany(live.flatMap((e) => e.shadow.owners));
  state.load(owners, owners.keys());
  for (const e of live) e.shadow.owners = e.shadow.owners.filter((id) => owners.has(id));

  // 4. correlation of the accounts without an owner, then their candidates (both batched for the page)
  const corrInputs = new Map<Entry, Array<Array<string | number | boolean>>>();
  await Promise.all(
    live
      .filter((e) => e.shadow.owners.length === 0)
      .map(async (e) => {
        try {
          const os = e.resolved.objectSync;
          if (os.customCorrelation) {
            const r = await customCandidates(os, e.ctx, deps.objectFinder);
            e.candidates = r.candidateIds;
            e.ctx = { ...e.ctx, CORRELATION_METADATA: r.metadata };
          } else {
            const inputs = await normalizedInputs(os, e.ctx);
            corrInputs.set(e, inputs);
            e.candidates = await simpleCandidates(os, inputs, deps.idm.keys);
          }
        } catch (err) {
          outcomes[e.index] = { line: e.line, uid: e.account.uid, name: e.account.name, actions: [], error: entryError(err, { uid: e.account.uid, name: e.account.name, line: e.line }) };
        }
      }),
  );
  const candidates = await deps.idm.getMany(live.flatMap((e) => e.candidates).filter((id) => !state.loaded.has(id)));
  state.load(candidates, candidates.keys());

  // 5. situations (stale correlation keys are dropped against the loaded objects)
  for (const e of live) {
    if (outcomes[e.index]) continue;
    if (e.shadow.owners.length === 1) e.situation = 'LINKED';
    else if (e.shadow.owners.length > 1) e.situation = 'COLLISION';
    else {
      const inputs = corrInputs.get(e);
      e.candidates = e.candidates.filter((id) => {
        const o = state.objects.get(id);
        return !!o && kindMatches(e.resolved.objectSync, o) && (!inputs || verifySimple(e.resolved.objectSync, inputs, o));
      });
      // SPEC.md §5 to the letter: one candidate is UNLINKED even if another account claims it (docs/decisions.md).
      e.situation = e.candidates.length === 0 ? 'UNMATCHED' : e.candidates.length === 1 ? 'UNLINKED' : 'DISPUTED';
      if (e.situation === 'UNLINKED') e.candidateId = e.candidates[0]!;
    }
  }

  // 6. decisions and actions, entry by entry, each in its own transaction
  const migrationAllowed = run.compiled.app.synchronizationDefinition?.objectTypeMigrationAllowed === true;
  const basis = { app: run.compiled.app, purity: deps.purity };
  const markWritten = run.taskType === 'RECONCILIATION';
  for (const e of live) {
    const who = { uid: e.account.uid, name: e.account.name, line: e.line };
    if (outcomes[e.index]) {
      if (e.existed) seen.push(markOf(e.existed, e.line));
      continue;
    }
    const situation = e.situation!;
    const tx = state.begin();
    let owner: IdmObject | null = null;
    try {
      const ownerId = situation === 'LINKED' ? e.shadow.owners[0]! : null;
      owner = ownerId ? tx.object(ownerId) : e.candidateId ? tx.object(e.candidateId) : null;
      if (situation === 'LINKED' && owner && owner.type !== e.resolved.objectType && !migrationAllowed) throw migrationForbidden(owner, e.resolved.objectType);
      const ctx: ScriptContext = { ...e.ctx, SITUATION: situation, IDM_OBJECT: owner ? flatIdmObject(owner) : null };
      const os = e.resolved.objectSync;
      const actions = await decideActions(os, run.taskType, situation, { kind: os.def.shadowKind, type: e.resolved.objectType, attributes: e.account.attributes }, ctx);
      const shadow: ShadowDoc = { ...e.shadow, owners: [...e.shadow.owners] };
      const result = await runActions(
        { tx, now, shadow, account: e.account, resolved: e.resolved, situation, ownerId, candidateId: e.candidateId, ctx, connector: deps.connector, objectTypeMigrationAllowed: migrationAllowed, basis },
        actions,
      );
      // A shadow the page writes carries the run's seen mark; one it leaves unchanged gets a mark of its own (and in
      // a reconciliation every shadow does, so that the marks count the live shadows seen: seen-count.ts).
      const written = !e.existed || shadowChanged(e.existed, shadow);
      if (written) tx.putShadow({ ...shadow, updatedAt: now, seenBy: carriedMark(run.runId, e.line) });
      if (!e.existed) state.newShadows.add(shadow._id);
      tx.commit();
      if (!written || markWritten) seen.push(markOf(shadow, e.line));
      outcomes[e.index] = { ...who, situation, actions, idmObjectId: result.idmObjectId };
    } catch (err) {
      if (e.existed) seen.push(markOf(e.existed, e.line));
      outcomes[e.index] = { ...who, situation, actions: [], error: entryError(err, who, shadowSubject(e.shadow, owner, !!e.existed)) };
    }
  }
  return { ...planFromState(state, deps.tracked, outcomes), seenMarks: seen };
}

/** A mark of this run's own for `shadow`; one of a dead shadow says so, and is not counted as a live one seen. */
function markOf(shadow: ShadowDoc, line: number): SeenMarkDoc {
  return shadow.dead ? { _id: shadow._id, line, dead: true } : { _id: shadow._id, line };
}

/**
 * Whether an entry changed its shadow (`updatedAt` aside): an unchanged one is not written, so re-processing a page
 * leaves the same documents and a reconciliation without changes writes no shadow at all.
 */
export function shadowChanged(before: ShadowDoc, after: ShadowDoc): boolean {
  return !isDeepStrictEqual({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
}

/** Simple correlation looks up correlation keys: an attribute whose keys are not maintained would match nothing. */
function assertCorrelationTracked(compiled: CompiledApplication, tracked: readonly string[]): void {
  const missing = correlationAttributes(compiled).filter((a) => !tracked.includes(a));
  if (missing.length === 0) return;
  throw new AppError(
    'CONFIGURATION_ERROR',
    `The correlation keys of IDM attribute(s) ${missing.join(', ')} are not maintained: correlation would find no owner`,
    { applicationId: compiled.app.id, missing },
    'Call CorrelationKeys.ensureTracked(correlationAttributes(application)) before the run and pass its result as tracked',
  );
}

function duplicateUid(uid: string, firstLine: number): AppError {
  return new AppError('SOURCE_ROW_ERROR', `Duplicate __UID__ ${JSON.stringify(uid)}: already read at line ${firstLine}`, { firstLine }, 'Make __UID__ values unique in the source');
}

/**
 * Decides a page of shadows whose accounts were not seen by a reconciliation: the DELETED situation. The shadow is
 * then kept as dead (history) and never reported DELETED again.
 */
export async function decideDeletedPage(run: InboundRun, deps: InboundDeps, shadowIds: string[]): Promise<PagePlan<EntryOutcome>> {
  const now = new Date().toISOString();
  const state = new PageState();
  // SPEC.md §5: an IMPORT never processes DELETED (it only adds and updates).
  if (run.taskType === 'IMPORT') return planFromState(state, deps.tracked, []);
  const shadows = await deps.shadows.getMany(shadowIds);
  // the ids are those this run did not see (SeenMarks.unseen); one found dead meanwhile was already reported
  const pending = shadowIds.map((id) => shadows.get(id)).filter((s): s is ShadowDoc => !!s && !s.dead);
  const loaded = await deps.idm.getMany(pending.flatMap((s) => s.owners));
  state.load(loaded, loaded.keys());
  const basis = { app: run.compiled.app, purity: deps.purity };
  const outcomes: EntryOutcome[] = [];
  for (const [i, s] of pending.entries()) {
    const who = { uid: s.uid, name: s.name, line: i + 1 };
    const tx = state.begin();
    let owner: IdmObject | null = null;
    try {
      const objectType = s.objectType ?? run.compiled.app.synchronizationDefinition!.objectTypeResolutionDefinition.defaultObjectTypeId;
      const objectSync = pickByType(run.compiled.objectSyncs, s.objectClassId, objectType);
      if (!objectSync) throw new AppError('CONFIGURATION_ERROR', `No object synchronization definition applies to object type ${objectType}`, { objectType });
      const resolved: Resolved = { objectType, objectSync, mapping: pickByType(run.compiled.mappings, s.objectClassId, objectType, objectSync.def.shadowKind) };
      const shadow: ShadowDoc = { ...s, owners: s.owners.filter((id) => loaded.has(id)), updatedAt: now };
      if (objectSync.def.enabled === false) {
        outcomes.push({ ...who, actions: [], skipped: true });
        continue;
      }
      owner = shadow.owners.length === 1 ? tx.object(shadow.owners[0]!) : null;
      const account = { __UID__: s.uid, __objectId__: s.uid, __NAME__: s.name };
      const ctx: ScriptContext = { ACCOUNT: account, OBJECT_TYPE: objectType, SITUATION: 'DELETED', IDM_OBJECT: owner ? flatIdmObject(owner) : null };
      const decided = await decideActions(objectSync, run.taskType, 'DELETED', { kind: objectSync.def.shadowKind, type: objectType, attributes: account }, ctx);
      // An account that never had an owner (left unmatched, disputed, or unlinked) leaves nothing for the owner's
      // actions to do: they are passed over, and the shadow is recorded dead like any other (else it would fail,
      // stay live, and be reported DELETED again on every run).
      const actions = owner ? decided : decided.filter((a) => !OWNER_ACTIONS.has(a));
      const result = await runActions(
        { tx, now, shadow, account: null, resolved, situation: 'DELETED', ownerId: owner?.id ?? null, candidateId: null, ctx, connector: deps.connector, objectTypeMigrationAllowed: false, basis },
        actions,
      );
      shadow.dead = true;
      tx.putShadow(shadow);
      if (result.recreated) {
        const id = shadowId(s.applicationId, s.objectClassId, result.recreated.uid);
        state.newShadows.add(id);
        tx.putShadow({ ...s, _id: id, uid: result.recreated.uid, name: result.recreated.name, owners: [result.recreated.owner], dead: false, generation: 0, createdAt: now, updatedAt: now });
      }
      tx.commit();
      outcomes.push({ ...who, situation: 'DELETED', actions, idmObjectId: result.idmObjectId });
    } catch (err) {
      outcomes.push({ ...who, situation: 'DELETED', actions: [], error: entryError(err, who, shadowSubject(s, owner)) });
    }
  }
  return planFromState(state, deps.tracked, outcomes);
}
