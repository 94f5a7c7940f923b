import type { ActivityDeps } from './deps';

/** Builds the activity implementations with their real dependencies (stores, connectors, scripting). */
export function createActivities(_deps: ActivityDeps) {
  return {
    async echo(message: string): Promise<string> {
      return message;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
