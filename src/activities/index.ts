import type { ActivityDeps } from './deps';
import { WorkerRuntime } from './runtime';
import { syncActivities } from './sync';
import { runActivities } from './runs';
import { provisioningActivities } from './provisioning';
import { postProcessingActivities } from './post-processing';

/** Builds the activity implementations with their real dependencies (stores, connectors, scripting). */
export function createActivities(deps: ActivityDeps) {
  const runtime = new WorkerRuntime(deps.settings);
  return {
    async echo(message: string): Promise<string> {
      return message;
    },
    ...runActivities(deps),
    ...syncActivities(deps, runtime),
    ...provisioningActivities(deps, runtime),
    ...postProcessingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
