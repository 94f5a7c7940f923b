import { isDeepStrictEqual } from 'node:util';
import { ConnectorError, ENABLE, NAME, type Account, type AttributeChange, type Attributes, type Connector } from '../../connectors/types';
import { AppError, type ErrorRepresentation } from '../../errors';
import type { AccountLinkDoc } from '../../store/account-links';
import { flatIdmObject, valuesOf, type IdmObject } from '../../store/idm-model';
import type { ShadowDoc, ShadowStore } from '../../store/shadows';
import { pickByType } from '../compiled-application';
import { shadowId } from '../ids';
import { computeOutboundAccount } from '../outbound-mapping';
import { entryError } from '../outcome';
import { OutboundAction } from './actions';
import { diffAccount, diffMemberships, recordable } from './account-diff';
import { withRetry, type RetryEnv } from './retry';
import { wantedEntitlements, type CompiledProfile, type ProvisioningTarget } from './targets';

/** LDAP result codes provisioning reacts to (RFC 4511); other connectors report the same meaning the same way. */
const NO_SUCH_OBJECT = 32;
const ALREADY_EXISTS = 68;

const isResult = (e: unknown, code: number): boolean => e instanceof ConnectorError && e.details.resultCode === code;

export interface AccountEnv extends RetryEnv {
  now: string;
  shadows: ShadowStore;
  /** shadows created or adopted earlier in this page → their owner: two objects of a page never share an account */
  claimed: Map<string, string>;
}

/** The object's current account, found through its link (undefined shadow: none). */
export interface Linked {
  linkId: string;
  shadow: ShadowDoc | undefined;
  /** the directory was read and has no entry of the shadow's uid any more (deleted by hand) */
  missing?: boolean;
}

/** The subject: an IDM object, or only the id of one deleted from the repository (its orphaned account). */
export interface Owner {
  objectId: string;
  object: IdmObject | null;
}

export interface AccountResult {
  actions: OutboundAction[];
  /** shadows to record (only changed ones) */
  shadows: ShadowDoc[];
  link: AccountLinkDoc | 'delete' | null;
  /** the account's shadow (and link) did not exist before this run made the account: written with an insert */
  created: boolean;
  error?: ErrorRepresentation;
}

/**
 * The work on one account: a working copy of its shadow updated after every directory write that succeeded, so
 * an entry failing half-way still records what was done (an account created but not yet in its groups is linked;
 * the next run adds the groups instead of creating it again).
 */
class AccountWork {
  readonly actions: OutboundAction[] = [];
  readonly retired: ShadowDoc[] = [];
  shadow: ShadowDoc | undefined;
  link: AccountLinkDoc | 'delete' | null = null;

  constructor(
    readonly target: ProvisioningTarget,
    readonly env: AccountEnv,
    readonly owner: Owner,
    readonly linked: Linked,
  ) {
    this.shadow = linked.shadow ? structuredClone(linked.shadow) : undefined;
  }

  get oc(): string {
    return this.target.objectClassId;
  }

  /** Every connector call (reads too: they are safe to repeat) runs under the connector's retry policy. */
  call<T>(op: (c: Connector) => Promise<T>): Promise<T> {
    return withRetry(this.target.retryPolicy, this.env, () => op(this.target.connector));
  }

  result(error?: ErrorRepresentation): AccountResult {
    const shadows = [...this.retired];
    if (this.shadow && !isDeepStrictEqual(this.shadow, this.linked.shadow)) shadows.push({ ...this.shadow, updatedAt: this.env.now });
    const actions = this.actions.length || error ? this.actions : [OutboundAction.UNCHANGED];
    const created = this.shadow !== undefined && this.shadow._id !== this.linked.shadow?._id;
    return { actions, shadows, link: this.link, created, ...(error ? { error } : {}) };
  }
}

/**
 * Brings one object's account on one target to what its matching profiles say (SPEC.md §3.5): create, update only
 * what differs from the record, rename, memberships; or, when no enabled profile matches any more (soft-deleted or
 * deleted objects included), the deprovisioning action of the profile that created it. Never throws: a failure is
 * the entry's error representation, carrying the directory's result code when there is one.
 */
export async function reconcileAccount(target: ProvisioningTarget, env: AccountEnv, owner: Owner, matching: CompiledProfile[], linked: Linked): Promise<AccountResult> {
  const w = new AccountWork(target, env, owner, linked);
  let desiredName: string | undefined;
  try {
    if (owner.object && matching.length > 0) {
      const desired = await desiredAccount(target, owner.object);
      desiredName = valuesOf(desired[NAME]).map(String)[0];
      await provision(w, desired, wantedEntitlements(matching), matching[0]!.id);
    } else await deprovision(w);
    return w.result();
  } catch (e) {
    const who = { ...(w.shadow && !w.shadow.dead ? { uid: w.shadow.uid, name: w.shadow.name } : desiredName ? { name: desiredName } : {}) };
    const subject = { shadowId: w.shadow?._id, shadowKind: target.shadowKind, objectClassId: target.objectClassId, idmObjectId: owner.objectId, idmObjectKind: owner.object?.kind };
    const rep = entryError(e, who, subject);
    return w.result({ ...rep, properties: { ...rep.properties, applicationId: target.compiled.app.id } });
  }
}

async function desiredAccount(target: ProvisioningTarget, obj: IdmObject): Promise<Attributes> {
  const mapping = pickByType(target.compiled.mappings, target.objectClassId, obj.type, target.shadowKind);
  if (!mapping?.outbound.length)
    throw new AppError(
      'CONFIGURATION_ERROR',
      `Application ${target.compiled.app.id} has no outbound mappings for ${target.objectClassId} (${target.shadowKind}) of type ${obj.type}`,
      { applicationId: target.compiled.app.id, objectClassId: target.objectClassId, objectType: obj.type },
      'Add outbound attribute mappings, __NAME__ among them, to the schema mapping',
    );
  const flat = flatIdmObject(obj);
  return computeOutboundAccount(mapping, { IDM_OBJECT: flat, OBJECT_TYPE: obj.type });
}

async function provision(w: AccountWork, desired: Attributes, groups: string[], profileId: string): Promise<void> {
  const s = w.shadow;
  if (!s || s.dead || !s.owners.includes(w.owner.objectId)) return create(w, desired, groups, profileId);
  if (w.linked.missing) return recreate(w, desired, groups, profileId);

  // The record says what the account holds; without one (a shadow a synchronization made) the directory does.
  let current = s.attributes;
  if (!current) {
    const account = await w.call((c) => c.get(w.oc, s.uid));
    if (!account) return recreate(w, desired, groups, profileId);
    current = account.attributes;
  }
  const diff = diffAccount(desired, current, { recorded: s.attributes !== undefined, objectClassId: w.oc });
  const changes: AttributeChange[] = [...(diff.newName ? [{ op: 'replace' as const, name: NAME, values: [diff.newName] }] : []), ...diff.changes];
  // An account inactivated by deprovisioning and needed again is enabled again (unless a mapping says otherwise).
  const reenable = current[ENABLE] === false && !(ENABLE in desired);
  if (reenable) changes.push({ op: 'replace', name: ENABLE, values: [true] });
  if (changes.length) {
    let account: Account;
    try {
      account = await w.call((c) => c.update(w.oc, s.uid, changes));
    } catch (e) {
      if (isResult(e, NO_SUCH_OBJECT) && !(await w.call((c) => c.get(w.oc, s.uid)))) return recreate(w, desired, groups, profileId);
      throw e;
    }
    s.name = account.name;
    if (diff.newName) w.actions.push(OutboundAction.ACCOUNT_RENAMED);
    if (diff.changes.length) w.actions.push(OutboundAction.ACCOUNT_UPDATED);
    if (reenable) w.actions.push(OutboundAction.ACCOUNT_ENABLED);
  }
  s.attributes = recordable(desired);
  s.profileId ??= profileId;
  // Unknown memberships (no record) may include groups granted by hand: only the missing ones are added.
  const recorded = s.memberships;
  await applyMemberships(w, groups, recorded ?? (await w.call((c) => c.listMemberships(w.oc, s.uid))), recorded !== undefined);
}

/** The linked account vanished from the directory (deleted by hand): its shadow is retired, a new one created. */
async function recreate(w: AccountWork, desired: Attributes, groups: string[], profileId: string): Promise<void> {
  if (w.shadow) w.retired.push({ ...w.shadow, dead: true, owners: [], memberships: [], updatedAt: w.env.now });
  w.shadow = undefined;
  await create(w, desired, groups, profileId);
}

async function create(w: AccountWork, desired: Attributes, groups: string[], profileId: string): Promise<void> {
  const attributes = Object.fromEntries(Object.entries(desired).filter(([, v]) => v !== null && valuesOf(v).length > 0));
  let account: Account;
  let memberships: string[] = [];
  try {
    account = await w.call((c) => c.create(w.oc, attributes));
    w.actions.push(OutboundAction.ACCOUNT_CREATED);
  } catch (e) {
    if (!isResult(e, ALREADY_EXISTS)) throw e;
    ({ account, memberships } = await adopt(w, desired, e));
  }
  const id = shadowId(w.target.compiled.app.id, w.oc, account.uid);
  const { applicationId, shadowKind } = { applicationId: w.target.compiled.app.id, shadowKind: w.target.shadowKind };
  const existing = w.shadow?._id === id ? w.shadow : undefined;
  w.shadow = {
    _id: id,
    applicationId,
    objectClassId: w.oc,
    shadowKind,
    uid: account.uid,
    name: account.name,
    objectType: w.owner.object?.type ?? null,
    owners: [w.owner.objectId],
    dead: false,
    generation: existing?.generation ?? 0,
    attributes: recordable(desired),
    memberships: [],
    profileId,
    createdAt: existing?.createdAt ?? w.env.now,
    updatedAt: w.env.now,
  };
  w.link = { _id: w.linked.linkId, applicationId, shadowKind, objectId: w.owner.objectId, shadowId: id };
  w.env.claimed.set(id, w.owner.objectId);
  await applyMemberships(w, groups, memberships, false);
}

/**
 * A create found its name taken. After a lost answer (connection dropped after the server applied the add) the entry
 * is the one this service created: it is read back by name and linked, then brought to the desired state. An entry
 * that is another object's account is not taken over.
 */
async function adopt(w: AccountWork, desired: Attributes, cause: unknown): Promise<{ account: Account; memberships: string[] }> {
  const name = valuesOf(desired[NAME]).map(String)[0];
  const found = name !== undefined && w.target.connector.getByName ? await w.call((c) => c.getByName!(w.oc, name)) : null;
  if (!found) throw cause;
  const id = shadowId(w.target.compiled.app.id, w.oc, found.uid);
  const stored = (await w.env.shadows.getMany([id])).get(id);
  const owner = w.env.claimed.get(id) ?? (stored && !stored.dead ? stored.owners.find((o) => o !== w.owner.objectId) : undefined);
  if (owner !== undefined && owner !== w.owner.objectId)
    throw new AppError(
      'ACTION_ERROR',
      `${name} is already the account of IDM object ${owner} on application ${w.target.compiled.app.id}`,
      { name, uid: found.uid, ownerId: owner },
      'Make the __NAME__ outbound mapping give each IDM object its own name',
    );
  const diff = diffAccount(desired, found.attributes, { recorded: false, objectClassId: w.oc });
  let account = found;
  if (diff.changes.length) {
    account = await w.call((c) => c.update(w.oc, found.uid, diff.changes));
    w.actions.push(OutboundAction.ACCOUNT_UPDATED);
  }
  w.actions.push(OutboundAction.ACCOUNT_ADOPTED);
  return { account, memberships: await w.call((c) => c.listMemberships(w.oc, found.uid)) };
}

/**
 * Adds the missing memberships and, when `current` is the record of what the service granted, removes the ones no
 * profile asks for any more. Both are no-ops in the directory when already so, hence safe to repeat.
 */
async function applyMemberships(w: AccountWork, groups: string[], current: string[], removeExtra: boolean): Promise<void> {
  const s = w.shadow!;
  const { add, remove } = diffMemberships(groups, current);
  const kept = current.filter((g) => !remove.includes(g));
  s.memberships = removeExtra ? [...current] : kept;
  for (const g of add) {
    await w.call((c) => c.addMembership(w.oc, s.uid, g));
    s.memberships.push(g);
    w.actions.push(OutboundAction.MEMBERSHIP_ADDED);
  }
  if (!removeExtra) return;
  for (const g of remove) {
    await w.call((c) => c.removeMembership(w.oc, s.uid, g));
    s.memberships = s.memberships.filter((m) => m !== g);
    w.actions.push(OutboundAction.MEMBERSHIP_REMOVED);
  }
}

/** The account is no longer needed: its memberships go, then the creating profile's deprovisioningAction. */
async function deprovision(w: AccountWork): Promise<void> {
  const s = w.shadow;
  if (!s || s.dead) {
    if (w.linked.shadow) w.link = 'delete';
    return;
  }
  const creator = w.target.profiles.find((p) => p.id === s.profileId);
  const action = creator?.deprovisioningAction ?? 'REMOVE_ACCOUNT';
  if (action === 'INACTIVATE_ACCOUNT' && !w.target.connector.capabilities().enable)
    throw new AppError(
      'ACTION_ERROR',
      `INACTIVATE_ACCOUNT (profile ${creator?.id}) cannot be applied: the connector of application ${w.target.compiled.app.id} has no disableStrategy`,
      { profileId: creator?.id, applicationId: w.target.compiled.app.id },
      'Add a disableStrategy to the connector definition, or make the profile REMOVE_ACCOUNT',
    );
  const gone = () => {
    s.dead = true;
    s.owners = [];
    s.memberships = [];
    w.link = 'delete';
  };
  for (const g of [...(s.memberships ?? [])]) {
    try {
      await w.call((c) => c.removeMembership(w.oc, s.uid, g));
      w.actions.push(OutboundAction.MEMBERSHIP_REMOVED);
    } catch (e) {
      if (!isResult(e, NO_SUCH_OBJECT)) throw e; // the account or the group is gone: so is the membership
    }
    s.memberships = (s.memberships ?? []).filter((m) => m !== g);
  }
  if (action === 'REMOVE_ACCOUNT') {
    try {
      await w.call((c) => c.delete(w.oc, s.uid));
    } catch (e) {
      if (!isResult(e, NO_SUCH_OBJECT)) throw e; // already gone (a repeated delete, or removed by hand): done
    }
    w.actions.push(OutboundAction.ACCOUNT_DELETED);
    gone();
    return;
  }
  if (s.attributes?.[ENABLE] === false) return;
  try {
    await w.call((c) => c.setEnabled(w.oc, s.uid, false));
  } catch (e) {
    if (!isResult(e, NO_SUCH_OBJECT)) throw e;
    gone();
    return;
  }
  w.actions.push(OutboundAction.ACCOUNT_DISABLED);
  s.attributes = { ...(s.attributes ?? {}), [ENABLE]: false };
}
