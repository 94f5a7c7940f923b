import { keysOf } from '../store/correlation-keys';
import { toIdmDoc } from '../store/idm-model';
import type { PagePlan } from '../store/page-journal';
import type { PageState } from './page-state';

/** Turns a page's working state into the absolute writes of a plan (objects, correlation keys, shadows). */
export function planFromState<O>(state: PageState, tracked: readonly string[], outcomes: O[]): PagePlan<O> {
  const plan: PagePlan<O> = { objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], shadowUpserts: [], outcomes };
  for (const id of state.touchedObjects) {
    const before = state.loaded.get(id) ?? null;
    const after = state.objects.get(id) ?? null;
    if (after) plan.objectUpserts.push(toIdmDoc(after));
    else if (before) plan.objectDeletes.push(id);
    const old = keysOf(before?.attributes, tracked);
    const now = keysOf(after?.attributes, tracked);
    for (const key of now) if (!old.has(key)) plan.keyAdds.push({ key, id });
    for (const key of old) if (!now.has(key)) plan.keyPulls.push({ key, id });
  }
  for (const id of state.touchedShadows) plan.shadowUpserts.push(state.shadows.get(id)!);
  plan.newObjectIds = [...state.touchedObjects].filter((id) => !state.loaded.get(id) && state.objects.get(id));
  plan.newShadowIds = [...state.touchedShadows].filter((id) => state.newShadows.has(id));
  return plan;
}
