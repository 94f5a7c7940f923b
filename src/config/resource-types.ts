import type { z } from 'zod';
import {
  applicationProfileSchema,
  applicationSchema,
  connectorDefinitionEnvelopeSchema,
  connectorDefinitionSchema,
  provisioningTaskDefinitionSchema,
  provisioningTaskPostProcessingDefinitionSchema,
  synchronizationTaskDefinitionSchema,
  synchronizationTaskPostProcessingDefinitionSchema,
  type Application,
  type ApplicationProfile,
  type ConnectorDefinition,
  type ProvisioningTaskDefinition,
  type ProvisioningTaskPostProcessingDefinition,
  type SynchronizationTaskDefinition,
  type SynchronizationTaskPostProcessingDefinition,
} from './schemas';

/**
 * The seven configuration resource types, in dependency order (a type only references types before it), which
 * is also the order of the XML dataset sections and of an import's writes.
 */
export const RESOURCE_TYPES = [
  'connectorDefinition',
  'application',
  'synchronizationTaskPostProcessingDefinition',
  'synchronizationTaskDefinition',
  'applicationProfile',
  'provisioningTaskPostProcessingDefinition',
  'provisioningTaskDefinition',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface ResourceByType {
  connectorDefinition: ConnectorDefinition;
  application: Application;
  synchronizationTaskPostProcessingDefinition: SynchronizationTaskPostProcessingDefinition;
  synchronizationTaskDefinition: SynchronizationTaskDefinition;
  applicationProfile: ApplicationProfile;
  provisioningTaskPostProcessingDefinition: ProvisioningTaskPostProcessingDefinition;
  provisioningTaskDefinition: ProvisioningTaskDefinition;
}

export interface ResourceTypeInfo {
  type: ResourceType;
  /** Human name used in messages, e.g. "ConnectorDefinition". */
  label: string;
  /** REST collection segment under /{tenant}/api/sync/conf/ (the seed's table). */
  restPath: string;
  /** MongoDB collection in the tenant database. */
  collection: string;
  /** XML dataset section (plural wrapper); the item element is `type`. */
  xmlSection: string;
  schema: z.ZodType;
  /**
   * When `schema` is a union: the properties every option shares, checked too when the body fails, so that a body
   * matching no option still hears about its other problems.
   */
  envelope?: z.ZodType;
}

export const RESOURCE_INFO: Readonly<Record<ResourceType, ResourceTypeInfo>> = {
  connectorDefinition: {
    type: 'connectorDefinition',
    label: 'ConnectorDefinition',
    restPath: 'connector-definitions',
    collection: 'connectorDefinitions',
    xmlSection: 'connectorDefinitions',
    schema: connectorDefinitionSchema,
    envelope: connectorDefinitionEnvelopeSchema,
  },
  application: {
    type: 'application',
    label: 'Application',
    restPath: 'applications',
    collection: 'applications',
    xmlSection: 'applications',
    schema: applicationSchema,
  },
  synchronizationTaskPostProcessingDefinition: {
    type: 'synchronizationTaskPostProcessingDefinition',
    label: 'SynchronizationTaskPostProcessingDefinition',
    restPath: 'sync-task-post-processing-definitions',
    collection: 'synchronizationTaskPostProcessingDefinitions',
    xmlSection: 'synchronizationTaskPostProcessingDefinitions',
    schema: synchronizationTaskPostProcessingDefinitionSchema,
  },
  synchronizationTaskDefinition: {
    type: 'synchronizationTaskDefinition',
    label: 'SynchronizationTaskDefinition',
    restPath: 'sync-task-definitions',
    collection: 'synchronizationTaskDefinitions',
    xmlSection: 'synchronizationTaskDefinitions',
    schema: synchronizationTaskDefinitionSchema,
  },
  applicationProfile: {
    type: 'applicationProfile',
    label: 'ApplicationProfile',
    restPath: 'application-profiles',
    collection: 'applicationProfiles',
    xmlSection: 'applicationProfiles',
    schema: applicationProfileSchema,
  },
  provisioningTaskPostProcessingDefinition: {
    type: 'provisioningTaskPostProcessingDefinition',
    label: 'ProvisioningTaskPostProcessingDefinition',
    restPath: 'prov-task-post-processing-definitions',
    collection: 'provisioningTaskPostProcessingDefinitions',
    xmlSection: 'provisioningTaskPostProcessingDefinitions',
    schema: provisioningTaskPostProcessingDefinitionSchema,
  },
  provisioningTaskDefinition: {
    type: 'provisioningTaskDefinition',
    label: 'ProvisioningTaskDefinition',
    restPath: 'prov-task-definitions',
    collection: 'provisioningTaskDefinitions',
    xmlSection: 'provisioningTaskDefinitions',
    schema: provisioningTaskDefinitionSchema,
  },
};

/** The XML dataset lists sections in the order of SPEC.md §7 (not the dependency order). */
export const XML_SECTION_ORDER: readonly ResourceType[] = [
  'connectorDefinition',
  'application',
  'synchronizationTaskDefinition',
  'synchronizationTaskPostProcessingDefinition',
  'applicationProfile',
  'provisioningTaskDefinition',
  'provisioningTaskPostProcessingDefinition',
];
