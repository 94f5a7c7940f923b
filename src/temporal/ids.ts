import type { RunKind } from '../store/task-runs';

const prefix = (kind: RunKind) => (kind === 'SYNC' ? 'sync' : 'prov');

/**
 * One workflow id per task definition and tenant: two runs of a definition can never overlap, whoever starts them
 * (ARCHITECTURE.md §3). Spelled here only.
 */
export const runWorkflowId = (kind: RunKind, tenant: string, taskDefinitionId: string): string => `${prefix(kind)}/${tenant}/${taskDefinitionId}`;

export const scheduleId = (kind: RunKind, tenant: string, taskDefinitionId: string): string => `schedule/${prefix(kind)}/${tenant}/${taskDefinitionId}`;
