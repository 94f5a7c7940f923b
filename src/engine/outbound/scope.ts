import { fieldPath } from '../../store/search-expression';
import type { SnapshotSort } from '../../store/sorted-snapshot';

export const DEFAULT_SORT_EXPRESSION = 'createdAt,ASC';

/**
 * The sort of a provisioning scope (SPEC.md §3.6): `"<attribute>,ASC|DESC"` on a top-level field (id, kind, type,
 * lifecycleState, createdAt, updatedAt) or an attribute. `_id` breaks ties (writeSortedSnapshot), so the frozen
 * order is the same on a retried prepare.
 */
export function scopeSort(expression: string | undefined): SnapshotSort {
  const [attribute = 'createdAt', direction = 'ASC'] = (expression ?? DEFAULT_SORT_EXPRESSION).split(',');
  return { path: fieldPath(attribute), direction: direction === 'DESC' ? -1 : 1 };
}
