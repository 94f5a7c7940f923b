import type { Application, SynchronizationActionDecisionDefinition } from '../../../src/config/schemas/application';
import type { Situation, SyncAction } from '../../../src/config/enums';
import { compileApplication, correlationAttributes, type CompiledObjectSync } from '../../../src/engine/compiled-application';
import { decideActions } from '../../../src/engine/inbound/decide';
import { createScriptEngine, type ScriptEngine } from '../../../src/scripting';

/** Which actions run (SPEC.md §5): decision definition, reactions fallback, IMPORT forcing, compatibility. */

function app(decision?: SynchronizationActionDecisionDefinition, reactions: Partial<Record<Situation, SyncAction[]>> = {}): Application {
  return {
    id: 'a',
    name: 'a',
    connectorId: 'c',
    synchronizationDefinition: {
      objectTypeResolutionDefinition: { defaultObjectTypeId: 'employee' },
      objectSynchronizationDefinitions: [
        {
          objectType: null,
          objectClassId: '__ACCOUNT__',
          shadowKind: 'ACCOUNT',
          correlationDefinition: {
            simpleCorrelationStrategyDefinition: {
              attributeCorrelationDefinitions: [
                { inputAttributeId: 'empNo', idmAttributeId: 'employeeNumber' },
                { inputAttributeId: 'mail', idmAttributeId: 'email' },
              ],
            },
          },
          reactionDefinitions: Object.entries(reactions).map(([situation, actions]) => ({ situation: situation as Situation, actions: actions! })),
          ...(decision ? { synchronizationActionDecisionDefinition: decision } : {}),
        },
      ],
    },
    schemaMappingDefinition: { objectSchemaMappingDefinitions: [{ objectType: null, objectClassId: '__ACCOUNT__', shadowKind: 'ACCOUNT' }] },
  };
}

const SEED_CUSTOM = 'if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }';
const SEED_RULES: SynchronizationActionDecisionDefinition = {
  decisionRules: [
    {
      actions: ['SYNCHRONIZE_IDM_OBJECT'],
      objectMatchingCondition: { objectKind: 'ACCOUNT', objectTypes: [], simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'lastName', regex: 'Doe' } },
    },
  ],
  defaultActions: ['NO_OP'],
};

describe('decideActions', () => {
  let scripts: ScriptEngine;
  beforeAll(async () => {
    scripts = await createScriptEngine();
  });
  afterAll(() => scripts.dispose());

  const objectSync = (a: Application): CompiledObjectSync => compileApplication(a, scripts).objectSyncs[0]!;
  const account = (attributes: Record<string, unknown>) => ({ kind: 'ACCOUNT', type: 'employee', attributes });

  it('uses the reactions of the situation without a decision definition; none configured = nothing', async () => {
    const os = objectSync(app(undefined, { LINKED: ['SYNCHRONIZE_IDM_OBJECT', 'PATCH'] }));
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', account({}), {})).toEqual(['SYNCHRONIZE_IDM_OBJECT', 'PATCH']);
    expect(await decideActions(os, 'RECONCILIATION', 'UNMATCHED', account({}), {})).toEqual([]);
  });

  it.each([
    [{ some_attribute: 'x' }, ['LINK', 'SYNCHRONIZE_IDM_OBJECT']], // [] = no decision: the reactions apply
    [{ other: 'x' }, ['NO_OP']],
    [null, ['NO_OP']],
  ])("the seed's custom decision rule with IDM_OBJECT %j decides %j", async (idm, expected) => {
    const os = objectSync(app({ customDecisionRule: { script: SEED_CUSTOM }, decisionRules: [] }, { UNLINKED: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'] }));
    expect(await decideActions(os, 'RECONCILIATION', 'UNLINKED', account({}), { IDM_OBJECT: idm })).toEqual(expected);
  });

  it("the seed's decision rules: first matching rule, else defaultActions, overriding the reactions", async () => {
    const os = objectSync(app(SEED_RULES, { LINKED: ['INACTIVATE_IDM_OBJECT'] }));
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', account({ lastName: 'Doe' }), {})).toEqual(['SYNCHRONIZE_IDM_OBJECT']);
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', account({ lastName: ['Smith', 'Doerr'] }), {})).toEqual(['SYNCHRONIZE_IDM_OBJECT']);
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', account({ lastName: 'Smith' }), {})).toEqual(['NO_OP']);
  });

  it('a decision rule restricted to object types does not match another type', async () => {
    const rules: SynchronizationActionDecisionDefinition = {
      decisionRules: [{ actions: ['NO_OP'], objectMatchingCondition: { objectKind: 'ACCOUNT', objectTypes: ['partner'] } }],
    };
    const os = objectSync(app(rules, { LINKED: ['SYNCHRONIZE_IDM_OBJECT'] }));
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', { kind: 'ACCOUNT', type: 'partner', attributes: {} }, {})).toEqual(['NO_OP']);
    expect(await decideActions(os, 'RECONCILIATION', 'LINKED', account({}), {})).toEqual(['SYNCHRONIZE_IDM_OBJECT']);
  });

  it.each([
    ['UNMATCHED', ['ADD_IDM_OBJECT']],
    ['LINKED', ['SYNCHRONIZE_IDM_OBJECT']],
    ['UNLINKED', ['LINK', 'SYNCHRONIZE_IDM_OBJECT']],
    ['DISPUTED', ['NO_OP']],
  ] as Array<[Situation, SyncAction[]]>)('IMPORT forces the actions of %s (configured: NO_OP everywhere)', async (situation, expected) => {
    const os = objectSync(app({ defaultActions: ['NO_OP'] }, { UNMATCHED: ['NO_OP'], LINKED: ['NO_OP'], UNLINKED: ['NO_OP'], DISPUTED: ['NO_OP'] }));
    expect(await decideActions(os, 'IMPORT', situation, account({}), {})).toEqual(expected);
  });

  it('an action a rule returns for an incompatible situation fails the entry', async () => {
    const os = objectSync(app({ customDecisionRule: { script: 'return SyncAction.ADD_IDM_OBJECT' } }));
    await expect(decideActions(os, 'RECONCILIATION', 'LINKED', account({}), {})).rejects.toMatchObject({
      label: 'ACTION_ERROR',
      message: 'Action ADD_IDM_OBJECT is not compatible with situation LINKED',
    });
  });

  it('lists the IDM attributes simple correlations look up', () => {
    expect(correlationAttributes(compileApplication(app(), scripts))).toEqual(['email', 'employeeNumber']);
  });
});
