import { ACTION_SITUATIONS, actionOrderProblem, type Situation, type SyncAction } from '../../config/enums';
import { AppError } from '../../errors';
import type { ScriptContext } from '../../scripting/types';
import type { CompiledObjectSync } from '../compiled-application';

export type SyncTaskType = 'IMPORT' | 'RECONCILIATION';

/**
 * Which actions run (SPEC.md §5): an IMPORT forces ADD_IDM_OBJECT / SYNCHRONIZE_IDM_OBJECT; otherwise the action-decision
 * definition decides (custom rule, else first matching rule, else defaultActions) and "no decision" falls back to
 * the reactions of the situation. No configured reaction: nothing happens (the situation is still recorded).
 */
export async function decideActions(
  os: CompiledObjectSync,
  taskType: SyncTaskType,
  situation: Situation,
  account: { kind: string; type: string | null; attributes: Record<string, unknown> },
  ctx: ScriptContext,
): Promise<SyncAction[]> {
  if (taskType === 'IMPORT') {
    if (situation === 'UNMATCHED') return ['ADD_IDM_OBJECT'];
    if (situation === 'LINKED') return ['SYNCHRONIZE_IDM_OBJECT'];
    if (situation === 'UNLINKED') return ['LINK', 'SYNCHRONIZE_IDM_OBJECT'];
  }
  let decided: SyncAction[] = [];
  if (os.hasDecisionDefinition) {
    if (os.customDecision) decided = (await os.customDecision.evaluate(ctx)) as SyncAction[];
    else {
      const subject = { ...account, context: ctx };
      let matched = false;
      for (const rule of os.decisionRules) {
        if (await rule.condition.matches(subject)) {
          decided = rule.actions;
          matched = true;
          break;
        }
      }
      if (!matched) decided = os.defaultActions;
    }
  }
  if (decided.length === 0) {
    decided = (os.def.reactionDefinitions ?? []).filter((r) => r.situation === situation).flatMap((r) => r.actions);
  }
  for (const [i, a] of decided.entries()) {
    if (!ACTION_SITUATIONS[a].includes(situation)) {
      throw new AppError(
        'ACTION_ERROR',
        `Action ${a} is not compatible with situation ${situation}`,
        { action: a, situation, allowedSituations: ACTION_SITUATIONS[a] },
        'Change the decision rule so it returns an action compatible with the situation',
      );
    }
    const order = actionOrderProblem(situation, decided, i);
    if (order) throw new AppError('ACTION_ERROR', `Actions ${decided.join(', ')}: ${order}`, { actions: decided, situation }, 'Change the decision rule so it returns LINK before SYNCHRONIZE_IDM_OBJECT');
  }
  return decided;
}
