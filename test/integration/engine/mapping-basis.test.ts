import type { Application, InboundAttributeMapping } from '../../../src/config/schemas/application';
import type { Situation, SyncAction } from '../../../src/config/enums';
import type { SyncTaskType } from '../../../src/engine/inbound/decide';
import type { EntryOutcome } from '../../../src/engine/outcome';
import { allObjects, BASE_MAPPINGS, csv, shadowOf, simpleMapping, testApp } from './fixtures';
import { dump, engineTestFile, resetRepository, type RunResult } from './harness';

const REACTIONS: Partial<Record<Situation, SyncAction[]>> = { LINKED: ['SYNCHRONIZE_IDM_OBJECT'], UNLINKED: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], UNMATCHED: ['ADD_IDM_OBJECT'] };
const custom = (idm: string, script: string): InboundAttributeMapping => ({ idmAttributeId: idm, custom: { computeRule: { script } } });
/** Rules of the kind the bench runs: one on VALUE, one on ACCOUNT. */
const RULES: InboundAttributeMapping[] = [
  ...BASE_MAPPINGS,
  simpleMapping('email', 'mail', 'return VALUE == null ? null : String(VALUE).toLowerCase();'),
  custom('displayName', "return ACCOUNT.first + ' ' + ACCOUNT.last;"),
];
const ROWS = ['u1,a,E1,Ann,Smith,employee,Ann@X.com', 'u2,b,E2,Bob,Jones,employee,bob@x.com', 'u3,c,E3,Cy,Stone,partner,'];

/**
 * The inbound mapping basis (src/engine/inbound/mapping-basis.ts): a reconciliation skips the mapping rules of an
 * account when its shadow's basis says they would change nothing, and maps it whenever anything they depend on
 * changed. Counted with the script engine's number of evaluations, checked in the repository afterwards.
 */
describe('the inbound mapping basis', () => {
  const file = engineTestFile();

  /** A run, and how many rules it evaluated. */
  async function sync(app: Application, rows: string[], taskType: SyncTaskType = 'RECONCILIATION'): Promise<RunResult & { evaluated: number }> {
    const before = file.env.scripts.evaluations;
    const r = await file.sync(app, csv(...rows), { taskType });
    return { ...r, evaluated: file.env.scripts.evaluations - before };
  }
  const brief = (o: EntryOutcome) => [o.uid, o.situation, o.actions.join('+'), o.error?.label ?? null];
  const objectOf = async (employeeNumber: string) => (await allObjects(file.env)).find((o) => o.attributes.employeeNumber === employeeNumber)!;

  it('an import records it; a reconciliation of the same accounts evaluates no mapping rule and writes nothing', async () => {
    const app = testApp({ reactions: REACTIONS, inbound: RULES });
    const imported = await sync(app, ROWS, 'IMPORT');
    expect(imported.evaluated).toBe(5); // two rules for each account, but u3 has no e-mail to lower-case
    for (const uid of ['u1', 'u2', 'u3']) expect((await shadowOf(file.env, uid))!.mappedBasis).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const bases = new Set(await Promise.all(['u1', 'u2', 'u3'].map(async (u) => (await shadowOf(file.env, u))!.mappedBasis)));
    expect(bases.size).toBe(3);
    const before = await dump(file.env.db);

    const again = await sync(app, ROWS);
    expect(again.accounts.map(brief)).toEqual([
      ['u1', 'LINKED', 'SYNCHRONIZE_IDM_OBJECT', null],
      ['u2', 'LINKED', 'SYNCHRONIZE_IDM_OBJECT', null],
      ['u3', 'LINKED', 'SYNCHRONIZE_IDM_OBJECT', null],
    ]);
    expect(again.evaluated).toBe(0);
    const after = await dump(file.env.db);
    expect(after.idmObjects).toEqual(before.idmObjects);
    expect(after.shadows).toEqual(before.shadows);
  });

  it('maps an account again when its row changed, and records the new basis', async () => {
    const app = testApp({ reactions: REACTIONS, inbound: RULES });
    await sync(app, ROWS, 'IMPORT');
    const old = (await shadowOf(file.env, 'u2'))!.mappedBasis;
    const changed = await sync(app, [ROWS[0]!, 'u2,b,E2,Bob,Jonas,employee,bob@x.com', ROWS[2]!]);
    expect(changed.evaluated).toBe(2);
    expect((await objectOf('E2')).attributes).toEqual(expect.objectContaining({ lastName: 'Jonas', displayName: 'Bob Jonas', email: 'bob@x.com' }));
    const renewed = (await shadowOf(file.env, 'u2'))!.mappedBasis;
    expect(renewed).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(renewed).not.toBe(old);
    expect((await sync(app, [ROWS[0]!, 'u2,b,E2,Bob,Jonas,employee,bob@x.com', ROWS[2]!])).evaluated).toBe(0);
  });

  it('puts back a mapped attribute changed in the object by anyone else, and leaves an attribute no mapping writes', async () => {
    const app = testApp({ reactions: REACTIONS, inbound: RULES });
    await sync(app, ROWS, 'IMPORT');
    const ann = await objectOf('E1');
    await file.env.idm.replace(ann.id, { ...ann, attributes: { ...ann.attributes, email: 'someone@else.org' } });
    const bob = await objectOf('E2');
    await file.env.idm.replace(bob.id, { ...bob, attributes: { ...bob.attributes, phone: '+33 1 23' } });

    const r = await sync(app, ROWS);
    expect(r.evaluated).toBe(2); // Ann only: Bob's mapped attributes are as his basis recorded them
    expect((await objectOf('E1')).attributes.email).toBe('ann@x.com');
    expect((await objectOf('E2')).attributes).toEqual(expect.objectContaining({ phone: '+33 1 23', email: 'bob@x.com' }));
  });

  it('maps again after any change of the configuration', async () => {
    await sync(testApp({ reactions: REACTIONS, inbound: RULES }), ROWS, 'IMPORT');
    const renamed = testApp({ reactions: REACTIONS, inbound: RULES });
    renamed.name = 'HR test, renamed';
    const r = await sync(renamed, ROWS);
    expect(r.evaluated).toBe(5);
    expect((await sync(renamed, ROWS)).evaluated).toBe(0);
  });

  it('has no basis when a rule reads the clock or randomness, or a name the basis does not cover', async () => {
    const cases: Array<[string, InboundAttributeMapping]> = [
      ['the clock', custom('seenAt', 'return Date.now() > 0 ? ACCOUNT.first : null;')],
      ['randomness', custom('lucky', 'return Math.random() >= 0 ? ACCOUNT.first : null;')],
      ['IDM_OBJECT', custom('previous', 'return IDM_OBJECT ? IDM_OBJECT.firstName : null;')],
      ['SITUATION', custom('situation', 'return SITUATION;')],
      ['arguments (every name)', custom('all', 'return arguments.length > 0 ? ACCOUNT.first : null;')],
    ];
    for (const [what, rule] of cases) {
      await resetRepository(file.env);
      const app = testApp({ reactions: REACTIONS, inbound: [...BASE_MAPPINGS, rule] });
      await sync(app, ROWS.slice(0, 1), 'IMPORT');
      expect([what, (await shadowOf(file.env, 'u1'))!.mappedBasis]).toEqual([what, undefined]);
      expect([what, (await sync(app, ROWS.slice(0, 1))).evaluated]).toEqual([what, 1]);
    }
  });

  it('tells apart accounts whose values only differ in how they split, and hostile attribute values', async () => {
    const app = testApp({ reactions: REACTIONS, inbound: RULES });
    const rows = [
      'v1,a,E7,ab,c,employee,',
      'v2,b,E8,a,bc,employee,',
      'v3,c,E9,"__proto__","{""constructor"":1}",employee,"\u00e9\u0301\ud83d\ude00@x"',
      `v4,d,E10,${'x'.repeat(5000)},"a,b""c\\",employee,`,
    ];
    await sync(app, rows, 'IMPORT');
    const bases = await Promise.all(['v1', 'v2', 'v3', 'v4'].map(async (u) => (await shadowOf(file.env, u))!.mappedBasis));
    for (const b of bases) expect(b).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(bases).size).toBe(4);
    const again = await sync(app, rows);
    expect(again.evaluated).toBe(0);
    expect(again.accounts.map((o) => o.error?.label ?? null)).toEqual([null, null, null, null]);
    expect((await objectOf('E9')).attributes).toEqual(expect.objectContaining({ firstName: '__proto__', displayName: '__proto__ {"constructor":1}' }));
  });
});
