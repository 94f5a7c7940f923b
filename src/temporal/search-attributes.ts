/** Custom search attributes the runs carry so operators can find them in the Temporal UI. */
export const SEARCH_ATTRIBUTES = {
  IdmTenant: 'Keyword',
  IdmTaskDefinitionId: 'Keyword',
  IdmTaskType: 'Keyword',
} as const;
