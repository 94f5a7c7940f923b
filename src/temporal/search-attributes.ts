import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes the runs carry so operators can find them in the Temporal UI. */
export const SEARCH_ATTRIBUTES = {
  IdmTenant: 'Keyword',
  IdmTaskDefinitionId: 'Keyword',
  IdmTaskType: 'Keyword',
} as const;

export const TENANT_KEY = defineSearchAttributeKey('IdmTenant', SearchAttributeType.KEYWORD);
export const TASK_DEFINITION_KEY = defineSearchAttributeKey('IdmTaskDefinitionId', SearchAttributeType.KEYWORD);
export const TASK_TYPE_KEY = defineSearchAttributeKey('IdmTaskType', SearchAttributeType.KEYWORD);
