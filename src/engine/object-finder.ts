import { AppError } from '../errors';
import { flatIdmObject } from '../store/idm-model';
import type { IdmObjectStore } from '../store/idm-objects';
import { validateSearchExpression } from '../store/search-expression';
import type { ObjectFinderFn } from '../scripting/types';

/**
 * The ObjectFinder a custom correlation rule searches with (SPEC.md §3.9): a search expression of §8, validated like
 * the API's (a script must not smuggle `$where` into the store), answered with flat IDM objects. Equalities on the
 * `tracked` attributes are looked up through their correlation keys (IdmObjectStore.find).
 */
export function idmObjectFinder(idm: IdmObjectStore, tracked: readonly string[] = []): ObjectFinderFn {
  return async (filter, limit) => {
    const issues = validateSearchExpression(filter);
    if (issues.length > 0)
      throw new AppError('VALIDATION_ERROR', `ObjectFinder.find: invalid search expression: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}`, { issues });
    return (await idm.find(filter, limit, tracked)).map(flatIdmObject);
  };
}
