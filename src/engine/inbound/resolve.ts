import { AppError } from '../../errors';
import type { Account } from '../../connectors/types';
import { pickByType, type CompiledApplication, type CompiledObjectSync, type CompiledSchemaMapping } from '../compiled-application';

export interface Resolved {
  objectType: string;
  objectSync: CompiledObjectSync;
  mapping: CompiledSchemaMapping | undefined;
}

/**
 * Object-type resolution (seed: "objectTypeResolutionDefinition"): first matching assignment rule, else the custom
 * assignment rule, else the default type; then the sub-configurations of the triplet, null-type default as fallback.
 */
export async function resolveAccount(c: CompiledApplication, objectClassId: string, account: Account): Promise<Resolved> {
  const def = c.app.synchronizationDefinition!.objectTypeResolutionDefinition;
  let objectType: string | null = null;
  for (const rule of c.assignment) {
    if (await rule.matches({ ACCOUNT: account.attributes })) {
      objectType = rule.objectTypeId;
      break;
    }
  }
  if (objectType === null && c.customAssignment) objectType = await c.customAssignment.evaluate({ ACCOUNT: account.attributes });
  objectType ??= def.defaultObjectTypeId;

  const objectSync = pickByType(c.objectSyncs, objectClassId, objectType);
  if (!objectSync) {
    throw new AppError(
      'CONFIGURATION_ERROR',
      `No object synchronization definition of application ${c.app.id} applies to object class ${objectClassId} and object type ${objectType}`,
      { applicationId: c.app.id, objectClassId, objectType },
      'Add an objectSynchronizationDefinition for this object type, or one with a null objectType as the default',
    );
  }
  const mapping = pickByType(c.mappings, objectClassId, objectType, objectSync.def.shadowKind);
  return { objectType, objectSync, mapping };
}
