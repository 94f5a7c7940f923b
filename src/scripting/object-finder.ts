/** The host side of `ObjectFinder.find(filter, limit?)`: result size bounded whatever the script asks for. */
import type { HostFind } from './sandbox';
import type { ObjectFinderFn } from './types';

export const OBJECT_FINDER_DEFAULT_LIMIT = 100;
export const OBJECT_FINDER_MAX_LIMIT = 1000;

/** The limit actually used: the default when the script gave none (negative), never above the maximum. */
export function boundedLimit(requested: number): number {
  if (!(requested > 0)) return OBJECT_FINDER_DEFAULT_LIMIT;
  return Math.max(1, Math.min(Math.floor(requested), OBJECT_FINDER_MAX_LIMIT));
}

/** Adapts an ObjectFinderFn to the sandbox's JSON-in/JSON-out host call; results are copied, never shared. */
export function hostFindFor(finder: ObjectFinderFn): HostFind {
  return async (filterJson, requested) => {
    const limit = boundedLimit(requested);
    const found = await finder(JSON.parse(filterJson) as Record<string, unknown>, limit);
    // A finder that ignores the limit must not flood the sandbox.
    return JSON.stringify(found.slice(0, limit));
  };
}
