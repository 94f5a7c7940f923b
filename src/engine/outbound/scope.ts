import type { Sort } from 'mongodb';
import { fieldPath } from '../../store/search-expression';

export const DEFAULT_SORT_EXPRESSION = 'createdAt,ASC';

/**
 * The sort of a provisioning scope (SPEC.md §3.6): `"<attribute>,ASC|DESC"` on a top-level field (id, kind, type,
 * lifecycleState, createdAt, updatedAt) or an attribute. `_id` breaks ties, so the frozen order is the same on a
 * retried prepare.
 */
export function scopeSort(expression: string | undefined): Sort {
  const [attribute = 'createdAt', direction = 'ASC'] = (expression ?? DEFAULT_SORT_EXPRESSION).split(',');
  const dir = direction === 'DESC' ? -1 : 1;
  const path = fieldPath(attribute);
  return path === '_id' ? { _id: dir } : { [path]: dir, _id: 1 };
}
