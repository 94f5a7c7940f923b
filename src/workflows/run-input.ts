/** What starts a run workflow (sync or provisioning). Plain data: shared by the API, activities and workflows. */
export interface RunInput {
  tenant: string;
  taskDefinitionId: string;
  runId: string;
}
