// Every workflow the worker registers. Deterministic code only (enforced by eslint on this folder).
export { pingWorkflow } from './ping';
export { syncRunWorkflow } from './sync-run';
export { scheduledLaunchWorkflow } from './scheduled-launch';
export { provisioningRunWorkflow } from './provisioning-run';
