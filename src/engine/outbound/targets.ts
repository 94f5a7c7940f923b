import type { RetryPolicy } from '../../config/connector-properties';
import type { DeprovisioningAction, ShadowKind } from '../../config/enums';
import type { ApplicationProfile } from '../../config/schemas';
import type { Connector } from '../../connectors/types';
import { AppError } from '../../errors';
import { flatIdmObject, type IdmObject } from '../../store/idm-model';
import type { CompiledRule } from '../../scripting/types';
import type { CompiledApplication } from '../compiled-application';
import { compileCondition, type CompiledCondition } from '../matching';

/** A profile ready for a run: defaults applied (SPEC.md §3.5), its condition compiled once. */
export interface CompiledProfile {
  id: string;
  enabled: boolean;
  deprovisioningAction: DeprovisioningAction;
  entitlements: string[];
  condition: CompiledCondition;
}

/**
 * Where a provisioning run writes: one application and shadow kind (the profiles of an application may manage
 * several kinds of accounts), the object class its mapping gives for that kind, and the connector.
 */
export interface ProvisioningTarget {
  compiled: CompiledApplication;
  shadowKind: ShadowKind;
  objectClassId: string;
  /** every profile of (application, shadow kind), enabled or not: a disabled one still names its deprovisioning action */
  profiles: CompiledProfile[];
  connector: Connector;
  retryPolicy: RetryPolicy;
  /** the target's part of an account's basis (basis.ts targetBasis) */
  basis: string;
}

export function compileProfile(p: ApplicationProfile, compileMatching: (script: string, location: string) => CompiledRule<'matching'>): CompiledProfile {
  return {
    id: p.id,
    enabled: p.enabled !== false,
    deprovisioningAction: p.deprovisioningAction ?? 'REMOVE_ACCOUNT',
    entitlements: (p.assignments ?? []).map((a) => a.entitlementId),
    condition: compileCondition(p.objectMatchingCondition, compileMatching, `applicationProfiles/${p.id}.objectMatchingCondition`),
  };
}

/** The object class of the application's accounts of a shadow kind (for LDAP e.g. `inetOrgPerson`). */
export function objectClassFor(compiled: CompiledApplication, shadowKind: ShadowKind): string {
  const mapping = compiled.app.schemaMappingDefinition.objectSchemaMappingDefinitions.find((m) => m.shadowKind === shadowKind);
  if (!mapping)
    throw new AppError(
      'CONFIGURATION_ERROR',
      `Application ${compiled.app.id} has no schema mapping for shadow kind ${shadowKind}, which its profiles provision`,
      { applicationId: compiled.app.id, shadowKind },
      'Add an objectSchemaMappingDefinition with outbound mappings for that shadow kind',
    );
  return mapping.objectClassId;
}

/**
 * The enabled profiles of the target an IDM object matches, in id order (the first one is recorded as the
 * account's creator). A soft-deleted object needs no account, whatever the conditions say.
 */
export async function matchingProfiles(target: ProvisioningTarget, obj: IdmObject): Promise<CompiledProfile[]> {
  if (obj.lifecycleState === 'SOFT_DELETED') return [];
  const flat = flatIdmObject(obj);
  const subject = { kind: obj.kind, type: obj.type, attributes: flat, context: { IDM_OBJECT: flat, OBJECT_TYPE: obj.type } };
  const out: CompiledProfile[] = [];
  for (const p of target.profiles) if (p.enabled && (await p.condition.matches(subject))) out.push(p);
  return out;
}

/** Entitlements the account must have: the union of the matching profiles' assignments, first spelling kept. */
export function wantedEntitlements(profiles: CompiledProfile[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of profiles.flatMap((p) => p.entitlements))
    if (!seen.has(e.toLowerCase())) {
      seen.add(e.toLowerCase());
      out.push(e);
    }
  return out;
}
