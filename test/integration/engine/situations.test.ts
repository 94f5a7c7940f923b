import { ACTION_SITUATIONS, type Situation, type SyncAction } from '../../../src/config/enums';
import type { SyncTaskType } from '../../../src/engine/inbound/decide';
import { decideDeletedPage } from '../../../src/engine/inbound/page';
import { shadowId } from '../../../src/engine/ids';
import type { IdmObject } from '../../../src/store/idm-model';
import { allObjects, APP_ID, csv, existingShadow, expectKeysConsistent, idmObject, shadowOf, testApp } from './fixtures';
import { csvConnector, openEngineEnv, resetRepository, runTask, startRun, type EngineEnv } from './harness';

/**
 * SPEC.md §5, situation × configured action, for RECONCILIATION and IMPORT: each case prepares the repository so
 * account u1 (empNo E1, Robert Smith) is in the situation, configures the action as the situation's reaction, runs
 * the task over a real CSV file, then checks the IDM objects, the shadow and the correlation keys.
 */

const ROW = 'u1,rsmith,E1,Robert,Smith,employee,';
const BOB = { employeeNumber: 'E1', firstName: 'Bob', lastName: 'Smith' };
const PATCH_SCRIPT = "return { note: 'patched in ' + SITUATION, lastName: null };";

interface Setup {
  rows: string[];
  aliases: Record<string, string>;
}

/** Repository states putting u1 in each situation; X and Y are the pre-existing objects. */
const SETUPS: Record<Situation, (env: EngineEnv) => Promise<Setup>> = {
  UNMATCHED: async () => ({ rows: [ROW], aliases: {} }),
  UNLINKED: async (env) => ({ rows: [ROW], aliases: { X: await idmObject(env, BOB) } }),
  DISPUTED: async (env) => ({ rows: [ROW], aliases: { X: await idmObject(env, BOB), Y: await idmObject(env, { ...BOB, firstName: 'Bobby' }) } }),
  LINKED: async (env) => {
    const X = await idmObject(env, BOB);
    await existingShadow(env, 'u1', [X]);
    return { rows: [ROW], aliases: { X } };
  },
  COLLISION: async (env) => {
    const X = await idmObject(env, BOB);
    const Y = await idmObject(env, { ...BOB, employeeNumber: 'E2' });
    await existingShadow(env, 'u1', [X, Y]);
    return { rows: [ROW], aliases: { X, Y } };
  },
  DELETED: async (env) => {
    const X = await idmObject(env, BOB);
    await existingShadow(env, 'u1', [X]);
    return { rows: [], aliases: { X } };
  },
};

type ObjectState = Partial<Pick<IdmObject, 'lifecycleState' | 'version'>> & { attributes?: Record<string, unknown> };
interface Expected {
  outcome: { situation?: Situation; actions?: SyncAction[]; error?: string } | null;
  /** by alias; null = must not exist; NEW = the object the run created */
  objects: Record<string, ObjectState | null>;
  shadow: { owners: string[]; dead: boolean } | null;
  /** the run marked the account seen (it read it from the source; a DELETED account is not read) */
  seen: boolean;
}

const unchanged = (aliases: string[]): Record<string, ObjectState> => Object.fromEntries(aliases.map((a) => [a, { version: 1, lifecycleState: 'ACTIVE' }]));
const WRITE_ERROR = 'ACTION_ERROR';

/** What each action does from each situation (the effect column of SPEC.md §5). */
function expectedFor(situation: Situation, action: SyncAction, pre: string[]): Expected {
  const ok = { situation, actions: [action] };
  const keep = unchanged(pre);
  const linkedShadow = situation === 'COLLISION' ? ['X', 'Y'] : situation === 'LINKED' || situation === 'DELETED' ? ['X'] : [];
  const dead = situation === 'DELETED';
  const base: Expected = { outcome: ok, objects: keep, shadow: { owners: linkedShadow, dead }, seen: !dead };
  switch (action) {
    case 'NO_OP':
      return base;
    case 'SYNCHRONIZE_IDM_OBJECT':
      // In UNLINKED it works on the owner "after LINK" (SPEC.md §5): alone, the entry fails and nothing is written.
      if (situation === 'UNLINKED') return { outcome: { situation, error: WRITE_ERROR }, objects: keep, shadow: null, seen: false };
      return { ...base, objects: { X: { version: 2, attributes: { ...BOB, firstName: 'Robert' } } } };
    case 'ADD_IDM_OBJECT':
      return { ...base, objects: { NEW: { version: 1, lifecycleState: 'ACTIVE', attributes: { ...BOB, firstName: 'Robert' } } }, shadow: { owners: ['NEW'], dead } };
    case 'REMOVE_IDM_OBJECT':
      return { ...base, objects: { X: null }, shadow: { owners: [], dead } };
    case 'INACTIVATE_IDM_OBJECT':
      return { ...base, objects: { X: { version: 2, lifecycleState: 'INACTIVE', attributes: BOB } } };
    case 'SOFT_DELETE_IDM_OBJECT':
      return { ...base, objects: { X: { version: 2, lifecycleState: 'SOFT_DELETED', attributes: BOB } } };
    case 'LINK':
      return { ...base, shadow: { owners: ['X'], dead } };
    case 'UNLINK':
      return { ...base, shadow: { owners: [], dead } };
    case 'PATCH':
      return { ...base, objects: { X: { version: 2, attributes: { employeeNumber: 'E1', firstName: 'Bob', note: `patched in ${situation}` } } } };
    case 'REMOVE_ACCOUNT':
    case 'INACTIVATE_ACCOUNT':
    case 'ADD_ACCOUNT':
      // The CSV connector cannot write: the entry fails and nothing is written for it (a new account gets no shadow).
      return { outcome: { situation, error: WRITE_ERROR }, objects: keep, shadow: situation === 'DELETED' ? { owners: ['X'], dead: false } : null, seen: false };
  }
}

/** IMPORT forces ADD_IDM_OBJECT / SYNCHRONIZE_IDM_OBJECT (after LINK) and never processes DELETED. */
function expectedForImport(situation: Situation, action: SyncAction, pre: string[]): Expected {
  const forced: Partial<Record<Situation, SyncAction>> = { UNMATCHED: 'ADD_IDM_OBJECT', LINKED: 'SYNCHRONIZE_IDM_OBJECT', UNLINKED: 'SYNCHRONIZE_IDM_OBJECT' };
  if (situation === 'DELETED') return { outcome: null, objects: unchanged(pre), shadow: { owners: ['X'], dead: false }, seen: false };
  const f = forced[situation];
  if (!f) return expectedFor(situation, action, pre);
  if (situation === 'UNLINKED') return { outcome: { situation, actions: ['LINK', f] }, objects: { X: { version: 2, attributes: { ...BOB, firstName: 'Robert' } } }, shadow: { owners: ['X'], dead: false }, seen: true };
  return expectedFor(situation, f, pre);
}

const CASES: Array<[Situation, SyncAction]> = (Object.keys(SETUPS) as Situation[]).flatMap((s) =>
  (Object.keys(ACTION_SITUATIONS) as SyncAction[]).filter((a) => ACTION_SITUATIONS[a].includes(s)).map((a): [Situation, SyncAction] => [s, a]),
);

describe('situation × configured action (SPEC §5)', () => {
  let env: EngineEnv;
  beforeAll(async () => {
    env = await openEngineEnv();
  });
  afterAll(async () => env.close());
  beforeEach(async () => resetRepository(env));

  it('covers every compatible (situation, action) pair of the table', () => {
    expect(CASES).toHaveLength(Object.values(ACTION_SITUATIONS).reduce((n, s) => n + s.length, 0));
  });

  for (const taskType of ['RECONCILIATION', 'IMPORT'] as SyncTaskType[]) {
    it.each(CASES)(`${taskType}: %s with reaction %s`, async (situation, action) => {
      const app = testApp({ reactions: { [situation]: [action] }, customAction: PATCH_SCRIPT });
      const ctx = await startRun(env, app, taskType);
      const { rows, aliases } = await SETUPS[situation](env);
      const expected = (taskType === 'IMPORT' ? expectedForImport : expectedFor)(situation, action, Object.keys(aliases));
      // The run's connector is the CSV file's: account-side actions reach it and fail, as it is read-only.
      ctx.deps.connector = await csvConnector(env, `${situation}-${action}.csv`, csv(...rows));

      const result = await runTask(ctx, ctx.deps.connector);

      const outcomes = [...result.accounts, ...result.deleted];
      if (expected.outcome === null) expect(outcomes).toEqual([]);
      else {
        expect(outcomes).toHaveLength(1);
        const o = outcomes[0]!;
        expect({ situation: o.situation, error: o.error?.label }).toEqual({ situation: expected.outcome.situation, error: expected.outcome.error });
        if (expected.outcome.actions) expect(o.actions).toEqual(expected.outcome.actions);
        if (o.error) {
          expect(o.error.properties).toEqual(expect.objectContaining({ uid: 'u1' }));
          if (action === 'SYNCHRONIZE_IDM_OBJECT') expect(o.error.description).toMatch(/put LINK before it$/);
          else expect(o.error.description).toBe(`${action}: not supported by the application's CSV connector (no ${{ REMOVE_ACCOUNT: 'delete', INACTIVATE_ACCOUNT: 'enable', ADD_ACCOUNT: 'create' }[action as string]} capability)`);
        }
      }

      // The repository: exactly the expected objects, in the expected states.
      const objects = await allObjects(env);
      const created = objects.filter((o) => !Object.values(aliases).includes(o.id));
      const ids: Record<string, string | undefined> = { ...aliases, NEW: created[0]?.id };
      expect(created).toHaveLength('NEW' in expected.objects ? 1 : 0);
      for (const [alias, state] of Object.entries(expected.objects)) {
        const found = objects.find((o) => o.id === ids[alias]) ?? null;
        if (state === null) expect({ alias, found }).toEqual({ alias, found: null });
        else expect({ alias, ...found }).toEqual(expect.objectContaining({ alias, ...state }));
      }

      // The shadow: links by alias, dead or alive, and whether the run marked its account seen.
      const shadow = await shadowOf(env, 'u1');
      if (expected.shadow === null) expect(shadow).toBeUndefined();
      else {
        const alias = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
        expect({ owners: shadow!.owners.map(alias), dead: shadow!.dead }).toEqual(expected.shadow);
        expect((await ctx.deps.seen.marksOf([shadow!])).has(shadow!._id)).toBe(expected.seen);
      }
      await expectKeysConsistent(env);
    });
  }

  it('IMPORT: decideDeletedPage processes nothing', async () => {
    const ctx = await startRun(env, testApp({ reactions: { DELETED: ['REMOVE_IDM_OBJECT'] } }), 'IMPORT');
    const X = await idmObject(env, BOB);
    await existingShadow(env, 'u1', [X]);
    const plan = await decideDeletedPage(ctx.run, ctx.deps, [shadowId(APP_ID, '__ACCOUNT__', 'u1')]);
    expect(plan).toEqual(expect.objectContaining({ objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], shadowUpserts: [], outcomes: [] }));
  });
});
