import type { ResourceByType, ResourceType } from './resource-types';

/** One kind of reference between configuration resources: `from` resources name `to` resources by id. */
export interface Reference<F extends ResourceType = ResourceType> {
  from: F;
  to: ResourceType;
  property: string;
  ids(resource: ResourceByType[F]): string[];
}

const ref = <F extends ResourceType>(from: F, to: ResourceType, property: string, ids: (r: ResourceByType[F]) => Array<string | undefined>): Reference =>
  ({ from, to, property, ids: (r: ResourceByType[F]) => ids(r).filter((id): id is string => id !== undefined) }) as unknown as Reference;

/** Every reference of SPEC.md §3 (what makes a delete a 409 and a missing target a 400). */
export const REFERENCES: readonly Reference[] = [
  ref('application', 'connectorDefinition', 'connectorId', (a) => [a.connectorId]),
  ref('synchronizationTaskDefinition', 'application', 'applicationId', (t) => [t.applicationId]),
  ref('synchronizationTaskDefinition', 'synchronizationTaskPostProcessingDefinition', 'synchronizationTaskPostProcessingId', (t) => [t.synchronizationTaskPostProcessingId]),
  ref('applicationProfile', 'application', 'applicationId', (p) => [p.applicationId]),
  ref('provisioningTaskDefinition', 'application', 'applicationIds', (t) => t.applicationIds ?? []),
  ref('provisioningTaskDefinition', 'provisioningTaskPostProcessingDefinition', 'provisioningTaskPostProcessingId', (t) => [t.provisioningTaskPostProcessingId]),
];
