import { IDM_KIND_OF_SHADOW_KIND, type Situation, type SyncAction } from '../../config/enums';
import { AppError } from '../../errors';
import type { Account, Capabilities, Connector } from '../../connectors/types';
import type { Application } from '../../config/schemas';
import { flatIdmObject, type IdmAttributes, type IdmObject, type LifecycleState } from '../../store/idm-model';
import type { ShadowDoc } from '../../store/shadows';
import type { ScriptContext } from '../../scripting/types';
import { createdObjectId } from '../ids';
import type { EntryTx } from '../page-state';
import type { Resolved } from './resolve';
import { mapInbound, mergeAttributes, toIdmValue } from './mapping';
import { mappingBasis } from './mapping-basis';
import { computeOutboundAccount } from '../outbound-mapping';

export interface EntryWork {
  tx: EntryTx;
  now: string;
  shadow: ShadowDoc;
  account: Account | null; // null for a DELETED shadow
  resolved: Resolved;
  situation: Situation;
  ownerId: string | null; // linked owner (LINKED / DELETED)
  candidateId: string | null; // UNLINKED
  ctx: ScriptContext;
  connector: Connector | null;
  objectTypeMigrationAllowed: boolean;
  /** for the inbound mapping basis (mapping-basis.ts): the application, and the script engine's count of impure evaluations */
  basis: { app: Application; purity: { readonly impureEvaluations: number } };
}

/** SPEC.md §5: an account of one object type never becomes the account of an object of another, unless allowed. */
export function migrationForbidden(owner: IdmObject, resolvedType: string): AppError {
  return new AppError(
    'OBJECT_TYPE_MIGRATION_FORBIDDEN',
    `The account resolves to object type ${resolvedType} but its owner ${owner.id} is of type ${owner.type}, and objectTypeMigrationAllowed is false`,
    { idmObjectId: owner.id, ownerType: owner.type, resolvedType },
    'Correct the source data or the assignment rules, or set objectTypeMigrationAllowed to true',
  );
}

/** The actions that work on the account's owner (or read it, ADD_ACCOUNT): with no owner there is nothing for them to do. */
export const OWNER_ACTIONS: ReadonlySet<SyncAction> = new Set<SyncAction>(['SYNCHRONIZE_IDM_OBJECT', 'REMOVE_IDM_OBJECT', 'INACTIVATE_IDM_OBJECT', 'SOFT_DELETE_IDM_OBJECT', 'PATCH', 'ADD_ACCOUNT']);

/** The object the IDM-side actions work on: the owner, or for UNLINKED the correlated candidate. */
function target(w: EntryWork, action: SyncAction): IdmObject {
  const id = w.shadow.owners.length === 1 ? w.shadow.owners[0]! : w.candidateId;
  const obj = id ? w.tx.object(id) : null;
  if (!obj) throw new AppError('ACTION_ERROR', `${action}: the account has no IDM object to act on`, { action, situation: w.situation });
  return obj;
}

function touch(o: IdmObject, now: string, changes: Partial<IdmObject>): IdmObject {
  return { ...o, ...changes, updatedAt: now, version: o.version + 1 };
}

/**
 * The object's attributes after the account's inbound mapping, and whether they changed. The rules are not evaluated
 * when the shadow's basis says they would change nothing (mapping-basis.ts); otherwise the account is mapped and the
 * new basis recorded on the shadow (none when a rule read the clock or randomness).
 */
async function synchronized(w: EntryWork, o: IdmObject): Promise<{ attributes: IdmAttributes; changed: boolean }> {
  if (w.shadow.mappedBasis !== undefined && w.shadow.mappedBasis === basisOf(w, o.attributes)) return { attributes: o.attributes, changed: false };
  const impureBefore = w.basis.purity.impureEvaluations;
  const merged = mergeAttributes(o.attributes, await mapInbound(w.resolved.mapping, { ...w.ctx, IDM_OBJECT: flatIdmObject(o) }));
  recordBasis(w, impureBefore, merged.attributes);
  return merged;
}

/** The mapping basis of the entry's account with an object holding `attributes` (none for a DELETED entry, which has no account). */
function basisOf(w: EntryWork, attributes: IdmAttributes): string | undefined {
  if (!w.account) return undefined;
  const inputs = { app: w.basis.app, objectType: w.resolved.objectType, objectClassId: w.shadow.objectClassId, shadowKind: w.shadow.shadowKind, account: w.account.attributes };
  return mappingBasis(w.resolved.mapping, inputs, attributes);
}

/**
 * Records on the shadow the basis of a mapping just done into `attributes`, or removes it when a rule read the clock
 * or randomness since `impureBefore` (an absent field, never undefined: an unchanged shadow must compare equal).
 */
function recordBasis(w: EntryWork, impureBefore: number, attributes: IdmAttributes): void {
  const basis = w.basis.purity.impureEvaluations === impureBefore ? basisOf(w, attributes) : undefined;
  if (basis === undefined) delete w.shadow.mappedBasis;
  else w.shadow.mappedBasis = basis;
}

/** The connector, when it can do what the action needs: an unsupported action fails the entry before any I/O. */
function needConnector(w: EntryWork, action: SyncAction, capability: keyof Capabilities): Connector {
  if (!w.connector) throw new AppError('ACTION_ERROR', `${action}: the application's connector is not available`, { action });
  if (!w.connector.capabilities()[capability])
    throw new AppError('ACTION_ERROR', `${action}: not supported by the application's ${w.connector.type} connector (no ${capability} capability)`, { action, connectorType: w.connector.type }, 'Configure this action only for an application whose connector can write');
  return w.connector;
}

/** Deletes the account; an account already gone (a retried page whose first attempt deleted it) is done. */
async function deleteAccount(connector: Connector, objectClassId: string, uid: string): Promise<void> {
  try {
    await connector.delete(objectClassId, uid);
  } catch (err) {
    if ((await connector.get(objectClassId, uid)) !== null) throw err;
  }
}

async function setLifecycle(w: EntryWork, action: SyncAction, state: LifecycleState): Promise<void> {
  const o = target(w, action);
  if (o.lifecycleState !== state) w.tx.putObject(touch(o, w.now, { lifecycleState: state }));
}

export interface ActionsResult {
  /** the IDM object the entry ends up linked to or acted on */
  idmObjectId: string | null;
  /** ADD_ACCOUNT re-created the account: it has a new __UID__, hence a new shadow */
  recreated?: { uid: string; name: string; owner: string };
}

/** Runs the actions of one entry in order, on the entry's transaction and working shadow. */
export async function runActions(w: EntryWork, actions: SyncAction[]): Promise<ActionsResult> {
  let acted: string | null = w.shadow.owners[0] ?? w.candidateId;
  let recreated: ActionsResult['recreated'];
  for (const action of actions) {
    switch (action) {
      case 'NO_OP':
        break;
      case 'LINK': {
        if (!w.candidateId) throw new AppError('ACTION_ERROR', 'LINK: no candidate owner', { action });
        // Linking makes the candidate the owner: the check of a LINKED owner's type applies from here on.
        const candidate = w.tx.object(w.candidateId);
        if (candidate && candidate.type !== w.resolved.objectType && !w.objectTypeMigrationAllowed) throw migrationForbidden(candidate, w.resolved.objectType);
        w.shadow.owners = [w.candidateId];
        acted = w.candidateId;
        break;
      }
      case 'UNLINK':
        w.shadow.owners = [];
        break;
      case 'SYNCHRONIZE_IDM_OBJECT': {
        const o = target(w, action);
        const { attributes, changed } = await synchronized(w, o);
        const typeChange = o.type !== w.resolved.objectType && w.objectTypeMigrationAllowed;
        if (changed || typeChange) w.tx.putObject(touch(o, w.now, { attributes, ...(typeChange ? { type: w.resolved.objectType } : {}) }));
        acted = o.id;
        break;
      }
      case 'ADD_IDM_OBJECT': {
        const kind = IDM_KIND_OF_SHADOW_KIND[w.shadow.shadowKind];
        if (!kind) throw new AppError('ACTION_ERROR', `ADD_IDM_OBJECT: a ${w.shadow.shadowKind} is never an IDM object`, { action });
        const id = createdObjectId(w.shadow._id, w.shadow.generation);
        const impureBefore = w.basis.purity.impureEvaluations;
        const attributes = (await mapInbound(w.resolved.mapping, { ...w.ctx, IDM_OBJECT: null })) as IdmObject['attributes'];
        for (const k of Object.keys(attributes)) if (attributes[k] === null) delete attributes[k];
        recordBasis(w, impureBefore, attributes);
        w.tx.putObject({ id, kind, type: w.resolved.objectType, lifecycleState: 'ACTIVE', attributes, createdAt: w.now, updatedAt: w.now, version: 1 });
        w.shadow.owners = [id]; // the implicit link after a creation
        acted = id;
        break;
      }
      case 'REMOVE_IDM_OBJECT': {
        const o = target(w, action);
        w.tx.deleteObject(o.id);
        w.shadow.owners = w.shadow.owners.filter((id) => id !== o.id);
        acted = o.id;
        break;
      }
      case 'INACTIVATE_IDM_OBJECT':
        await setLifecycle(w, action, 'INACTIVE');
        break;
      case 'SOFT_DELETE_IDM_OBJECT':
        await setLifecycle(w, action, 'SOFT_DELETED');
        break;
      case 'PATCH': {
        const o = target(w, action);
        const rule = w.resolved.objectSync.customAction;
        if (!rule) throw new AppError('CONFIGURATION_ERROR', 'PATCH needs a customAction compute rule', { action });
        const patch = await rule.evaluate({ ...w.ctx, IDM_OBJECT: flatIdmObject(o) });
        if (patch) {
          const mapped = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, toIdmValue(v)]));
          const { attributes, changed } = mergeAttributes(o.attributes, mapped);
          if (changed) w.tx.putObject(touch(o, w.now, { attributes }));
        }
        acted = o.id;
        break;
      }
      case 'REMOVE_ACCOUNT': {
        await deleteAccount(needConnector(w, action, 'delete'), w.shadow.objectClassId, w.shadow.uid);
        w.shadow.dead = true;
        w.shadow.owners = [];
        break;
      }
      case 'INACTIVATE_ACCOUNT':
        await needConnector(w, action, 'enable').setEnabled(w.shadow.objectClassId, w.shadow.uid, false);
        break;
      case 'ADD_ACCOUNT': {
        const o = target(w, action);
        const connector = needConnector(w, action, 'create');
        const attrs = await computeOutboundAccount(w.resolved.mapping, { IDM_OBJECT: flatIdmObject(o), OBJECT_TYPE: o.type });
        const created = await connector.create(w.shadow.objectClassId, attrs);
        // The re-created account has a new __UID__: the dead shadow stays for history, the caller records the new one.
        recreated = { uid: created.uid, name: created.name, owner: o.id };
        acted = o.id;
        break;
      }
    }
  }
  return { idmObjectId: acted, recreated };
}
