import { sha256 } from '../../sha256';
import type { ApplicationProfile, ConnectorDefinition } from '../../config/schemas';
import { maskSecrets } from '../../config/secrets';
import type { IdmObject } from '../../store/idm-model';
import type { CompiledApplication } from '../compiled-application';

/**
 * The basis of an account check: what an object's account on a target was last computed and found right from.
 * Provisioning records it on the account link after a check without error whose rules did not read the clock or
 * randomness; a later run that finds the same basis skips the object (no object, shadow or rule evaluation), since
 * the result would be the same. It covers:
 * - the object's state (creation time and version: any write raises the version);
 * - the target's configuration (application, its profiles of that shadow kind, the connector definition with its
 *   secrets masked, so no secret is hashed), and this code's BASIS_VERSION;
 * - the application's shadow epoch (ShadowEpochs), which synchronization runs raise when they change shadows.
 */
export const BASIS_VERSION = 1;

export interface TargetConfiguration {
  compiled: CompiledApplication;
  shadowKind: string;
  objectClassId: string;
  profiles: ApplicationProfile[];
  connectorDefinition: ConnectorDefinition;
  shadowEpoch: number;
}

/** The part of every basis that comes from the target (one hash per page, not per object). */
export function targetBasis(t: TargetConfiguration): string {
  const configuration = JSON.stringify([
    BASIS_VERSION,
    t.compiled.app,
    t.shadowKind,
    t.objectClassId,
    t.profiles,
    maskSecrets('connectorDefinition', t.connectorDefinition as unknown as Record<string, unknown>),
  ]);
  return `${sha256(configuration, 'base64url')}.${t.shadowEpoch}`;
}

/**
 * The version of an IDM object, recorded beside its id when the scope is frozen; none for a document without a
 * creation time and a numeric version (such an object is always checked).
 */
export function objectVersion(o: Partial<Pick<IdmObject, 'createdAt' | 'version'>>): string | undefined {
  return typeof o.createdAt === 'string' && Number.isSafeInteger(o.version) ? `${o.createdAt}#${o.version}` : undefined;
}

/** The fields objectVersion reads, for the scope's projection. */
export const OBJECT_VERSION_FIELDS = ['createdAt', 'version'];

export const accountBasis = (target: string, objectVersionString: string): string => `${target}|${objectVersionString}`;
