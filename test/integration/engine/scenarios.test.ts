import type { Situation, SyncAction } from '../../../src/config/enums';
import { decideAccountsPage } from '../../../src/engine/inbound/page';
import type { EntryOutcome } from '../../../src/engine/outcome';
import { allObjects, BASE_MAPPINGS, csv, existingShadow, expectKeysConsistent, idmObject, shadowOf, simpleMapping, testApp } from './fixtures';
import { csvConnector, dump, engineTestFile, readAll, runPage, startRun, type RunResult } from './harness';

/** The scenarios of issue 6, each a run (or several) over real CSV files, checked in the repository afterwards. */

const FULL: Partial<Record<Situation, SyncAction[]>> = { LINKED: ['SYNCHRONIZE_IDM_OBJECT'], UNLINKED: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], UNMATCHED: ['ADD_IDM_OBJECT'], DISPUTED: ['NO_OP'], COLLISION: ['NO_OP'] };
const BOB = { employeeNumber: 'E1', firstName: 'Bob', lastName: 'Smith' };

describe('inbound engine scenarios', () => {
  const file = engineTestFile();
  const sync = file.sync;
  /** names of the CSV files some tests write themselves */
  let files = 0;
  const byUid = (r: RunResult) => Object.fromEntries(r.accounts.map((o) => [o.uid, o]));
  const brief = (o: EntryOutcome | undefined) => ({ situation: o?.situation, actions: o?.actions, error: o?.error?.label });

  it.each([undefined, 1])('two rows correlating to the same IDM object are both UNLINKED and both linked to it, whatever the page size (%s)', async (pageSize) => {
    const X = await idmObject(file.env, BOB);
    const r = await sync(testApp({ reactions: FULL }), csv('u1,a,E1,Robert,Smith,employee,', 'u2,b,E1,Rob,Smith,employee,'), { pageSize });
    expect(r.accounts.map(brief)).toEqual([
      { situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], error: undefined },
      { situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], error: undefined },
    ]);
    expect((await shadowOf(file.env, 'u1'))!.owners).toEqual([X]);
    expect((await shadowOf(file.env, 'u2'))!.owners).toEqual([X]);
    expect(await file.env.idm.get(X)).toEqual(expect.objectContaining({ attributes: { ...BOB, firstName: 'Rob' } })); // the later row wins
    expect(r.counters.situations).toEqual({ UNLINKED: 2 });
  });

  it('situations in a page are judged on the objects as they were before the page, even once earlier rows of the page changed them', async () => {
    const X = await idmObject(file.env, BOB);
    const Y = await idmObject(file.env, { ...BOB, employeeNumber: 'E5', firstName: 'Yan' });
    await existingShadow(file.env, 'u1', [X]);
    await existingShadow(file.env, 'u2', [Y]);
    await existingShadow(file.env, 'u150', [Y]);
    const row = (i: number) => {
      if (i === 1) return 'u1,a,E2,Robert,Smith,employee,'; // X's employee number becomes E2
      if (i === 2) return 'u2,b,E5,Yannick,Smith,employee,';
      if (i === 150) return 'u150,c,E5,Yves,Smith,employee,'; // Y again, later: its values win
      if (i === 200) return 'u200,d,E1,Bobby,Smith,employee,'; // E1: X before the page
      return `u${i},n${i},N${i},First${i},Last${i},employee,`;
    };
    const r = await sync(testApp({ reactions: FULL }), csv(...Array.from({ length: 250 }, (_, i) => row(i + 1))), { pageSize: 1000 });
    const at = byUid(r);
    expect(brief(at.u1)).toEqual({ situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'], error: undefined });
    // Correlated on E1 against X as it was before the page, although row 1 had changed it by then.
    expect(at.u200).toEqual(expect.objectContaining({ situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], idmObjectId: X }));
    expect(brief(at.u150)).toEqual({ situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'], error: undefined });
    expect(r.counters.situations).toEqual({ LINKED: 3, UNLINKED: 1, UNMATCHED: 246 });
    expect((await file.env.idm.get(X))!.attributes).toEqual({ ...BOB, firstName: 'Bobby' }); // row 200 wrote it last
    expect((await file.env.idm.get(Y))!.attributes).toEqual({ ...BOB, employeeNumber: 'E5', firstName: 'Yves' });
    expect((await shadowOf(file.env, 'u200'))!.owners).toEqual([X]);
    expect(await allObjects(file.env)).toHaveLength(2 + 246);
    await expectKeysConsistent(file.env);
  });

  it('an account matching two IDM objects is DISPUTED; a shadow linked to two is a COLLISION', async () => {
    const [X, Y] = [await idmObject(file.env, BOB), await idmObject(file.env, BOB)];
    const Z = await idmObject(file.env, { ...BOB, employeeNumber: 'E9' });
    await existingShadow(file.env, 'u2', [X, Z]);
    const r = await sync(testApp({ reactions: FULL }), csv('u1,a,E1,Robert,Smith,employee,', 'u2,b,E9,Zed,Smith,employee,'));
    expect(byUid(r).u1).toEqual(expect.objectContaining({ situation: 'DISPUTED', idmObjectId: null }));
    expect(byUid(r).u2).toEqual(expect.objectContaining({ situation: 'COLLISION', actions: ['NO_OP'] }));
    expect((await shadowOf(file.env, 'u1'))!.owners).toEqual([]);
    expect((await shadowOf(file.env, 'u2'))!.owners).toEqual([X, Z]);
    for (const id of [X, Y, Z]) expect((await file.env.idm.get(id))!.version).toBe(1);
  });

  it.each([
    [false, { error: 'OBJECT_TYPE_MIGRATION_FORBIDDEN', type: 'employee', version: 1, firstName: 'Bob' }],
    [true, { error: undefined, type: 'partner', version: 2, firstName: 'Robert' }],
  ])('a type change with objectTypeMigrationAllowed=%s', async (allowed, expected) => {
    const X = await idmObject(file.env, BOB);
    const before = await existingShadow(file.env, 'u1', [X]);
    const r = await sync(testApp({ reactions: FULL, migrationAllowed: allowed }), csv('u1,a,E1,Robert,Smith,partner,'));
    const o = byUid(r).u1!;
    expect(o.error?.label).toBe(expected.error);
    const x = (await file.env.idm.get(X))!;
    expect({ type: x.type, version: x.version, firstName: x.attributes.firstName }).toEqual({ type: expected.type, version: expected.version, firstName: expected.firstName });
    const shadow = (await shadowOf(file.env, 'u1'))!;
    if (allowed) expect(shadow).toEqual(expect.objectContaining({ objectType: 'partner', owners: [X] }));
    // Blocked: nothing written but "seen" (so the account is not taken for deleted).
    else {
      expect(shadow).toEqual(before);
      expect(r.seen.get(shadow._id)).toEqual({ _id: shadow._id, line: 2 });
    }
    if (!allowed) {
      expect(o.error!.description).toContain(`owner ${X} is of type employee`);
      // what the error names, for the error report's columns (SPEC.md §3.4)
      expect(o.error!.properties).toEqual(expect.objectContaining({ uid: 'u1', name: 'a', line: 2, shadowId: shadow._id, shadowKind: 'ACCOUNT', objectClassId: '__ACCOUNT__', idmObjectId: X, idmObjectKind: 'IDENTITY' }));
    }
  });

  it('the error of an account without a stored shadow names no shadow id, and its candidate owner', async () => {
    const X = await idmObject(file.env, BOB);
    const app = testApp({ reactions: FULL, inbound: [...BASE_MAPPINGS, simpleMapping('nickname', 'first', 'throw new Error("no")')] });
    const r = await sync(app, csv('u9,z,E1,Robert,Smith,employee,'));
    const o = byUid(r).u9!;
    expect(o.error?.label).toBe('SCRIPT_ERROR');
    expect(o.error!.properties).toEqual(expect.objectContaining({ uid: 'u9', shadowKind: 'ACCOUNT', objectClassId: '__ACCOUNT__', idmObjectId: X, idmObjectKind: 'IDENTITY' }));
    expect(o.error!.properties).not.toHaveProperty('shadowId');
    expect(await shadowOf(file.env, 'u9')).toBeUndefined();
  });

  it('decision rules override the reactions; no decision falls back to them', async () => {
    const X = await idmObject(file.env, BOB);
    const Y = await idmObject(file.env, { employeeNumber: 'E2', firstName: 'Jane', lastName: 'Roe' });
    await existingShadow(file.env, 'u1', [X]);
    await existingShadow(file.env, 'u2', [Y]);
    const app = testApp({
      reactions: FULL,
      decision: {
        decisionRules: [
          { actions: ['NO_OP'], objectMatchingCondition: { objectKind: 'ACCOUNT', objectTypes: ['employee'], simpleObjectMatchingStrategyDefinition: { inputAttributeId: 'last', regex: '^Smith$' } } },
        ],
      },
    });
    const r = await sync(app, csv('u1,a,E1,Robert,Smith,employee,', 'u2,b,E2,Janet,Roe,employee,'));
    expect(brief(byUid(r).u1)).toEqual({ situation: 'LINKED', actions: ['NO_OP'], error: undefined });
    expect(brief(byUid(r).u2)).toEqual({ situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'], error: undefined });
    expect((await file.env.idm.get(X))!.attributes.firstName).toBe('Bob');
    expect((await file.env.idm.get(Y))!.attributes.firstName).toBe('Janet');
  });

  it("the seed's custom decision rule: NO_OP without IDM_OBJECT.some_attribute, else the reactions", async () => {
    const X = await idmObject(file.env, { ...BOB, some_attribute: 'yes' });
    const Y = await idmObject(file.env, { employeeNumber: 'E2', firstName: 'Jane' });
    const app = testApp({ reactions: FULL, decision: { customDecisionRule: { script: 'if (IDM_OBJECT?.some_attribute) { return [] } else { return SyncAction.NO_OP }' }, decisionRules: [] } });
    const r = await sync(app, csv('u1,a,E1,Robert,Smith,employee,', 'u2,b,E2,Janet,Roe,employee,', 'u3,c,E3,New,Hire,employee,'));
    expect(r.accounts.map(brief)).toEqual([
      { situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], error: undefined },
      { situation: 'UNLINKED', actions: ['NO_OP'], error: undefined },
      { situation: 'UNMATCHED', actions: ['NO_OP'], error: undefined },
    ]);
    expect((await shadowOf(file.env, 'u1'))!.owners).toEqual([X]);
    expect((await shadowOf(file.env, 'u2'))!.owners).toEqual([]);
    expect((await file.env.idm.get(X))!.attributes).toEqual({ employeeNumber: 'E1', firstName: 'Robert', lastName: 'Smith', some_attribute: 'yes' });
    expect((await file.env.idm.get(Y))!.version).toBe(1);
    expect(await allObjects(file.env)).toHaveLength(2);
  });

  it('a throwing compute rule fails its entry only; the page goes on', async () => {
    const app = testApp({ reactions: FULL, inbound: [simpleMapping('employeeNumber', 'empNo'), simpleMapping('firstName', 'first', "if (VALUE === 'boom') throw new Error('bad first name'); return VALUE;")] });
    const r = await sync(app, csv('u1,a,E1,Ann,A,employee,', 'u2,b,E2,boom,B,employee,', 'u3,c,E3,Cid,C,employee,'));
    expect(r.accounts.map((o) => o.error?.label)).toEqual([undefined, 'SCRIPT_ERROR', undefined]);
    expect(r.accounts[1]!.error!.properties).toEqual(expect.objectContaining({ uid: 'u2', name: 'b', line: 3, ruleLine: 1 }));
    expect(JSON.stringify(r.accounts[1]!.error)).toContain('bad first name');
    expect((await allObjects(file.env)).map((o) => o.attributes.firstName).sort()).toEqual(['Ann', 'Cid']);
    expect(await shadowOf(file.env, 'u2')).toBeUndefined();
    expect(r.counters).toEqual(expect.objectContaining({ processed: 3, errors: 1 }));
  });

  describe('a re-processed page leaves the same state', () => {
    const rows = csv('u1,a,E1,Robert,Smith,employee,', 'u2,b,E2,Jane,Roe,employee,', 'u3,c,E3,New,Hire,employee,');
    async function prepare() {
      const X = await idmObject(file.env, BOB);
      const Y = await idmObject(file.env, { employeeNumber: 'E2', firstName: 'J' });
      await existingShadow(file.env, 'u1', [X]);
      const ctx = await startRun(file.env, testApp({ reactions: FULL }), 'RECONCILIATION');
      const items = await readAll(await csvConnector(file.env, `re${++files}.csv`, rows));
      return { ctx, items, X, Y };
    }

    it('decided and applied twice', async () => {
      const { ctx, items } = await prepare();
      const first = await decideAccountsPage(ctx.run, ctx.deps, items);
      expect(first.outcomes.map((o) => o.situation)).toEqual(['LINKED', 'UNLINKED', 'UNMATCHED']);
      await file.env.journal(ctx.run.runId).apply(first);
      const once = await dump(file.env.db);
      const second = await decideAccountsPage(ctx.run, ctx.deps, items);
      expect(second.outcomes.map((o) => o.situation)).toEqual(['LINKED', 'LINKED', 'LINKED']);
      expect(second.objectUpserts).toEqual([]);
      await file.env.journal(ctx.run.runId).apply(second);
      expect(await dump(file.env.db)).toEqual(once);
      expect(once.idmObjects).toHaveLength(3);
      await expectKeysConsistent(file.env);
    });

    it('applied in part, crashed, retried from the journal', async () => {
      const { ctx, items, X, Y } = await prepare();
      const plan = await decideAccountsPage(ctx.run, ctx.deps, items);
      await file.env.journal(ctx.run.runId).save(`${ctx.run.runId}:p0`, plan);
      // The crash: only the IDM objects were written.
      await file.env.journal(ctx.run.runId).apply({ ...plan, keyAdds: [], keyPulls: [], shadowUpserts: [] });
      const retried = await runPage(ctx, 'p0', items);
      expect(retried.outcomes).toEqual(plan.outcomes);
      const state = await dump(file.env.db);
      await runPage(ctx, 'p0', items);
      expect(await dump(file.env.db)).toEqual(state);
      const created = plan.outcomes[2]!.idmObjectId!;
      expect(new Set([X, Y, created]).size).toBe(3);
      expect((await allObjects(file.env)).map((o) => o.id).sort()).toEqual([X, Y, created].sort());
      for (const [uid, owner] of [['u1', X], ['u2', Y], ['u3', created]]) expect((await shadowOf(file.env, uid!))!.owners).toEqual([owner]);
      await expectKeysConsistent(file.env);
    });
  });

  it.each([10, 2])('a duplicate __UID__ fails the later row, naming both lines (page size %i)', async (pageSize) => {
    const r = await sync(testApp({ reactions: FULL }), csv('u1,a,E1,Ann,A,employee,', 'u2,b,E2,Bea,B,employee,', 'u1,c,E3,Cid,C,employee,'), { pageSize });
    const dup = r.accounts[2]!;
    expect(dup.error).toEqual(expect.objectContaining({ label: 'SOURCE_ROW_ERROR', description: 'Duplicate __UID__ "u1": already read at line 2' }));
    expect(dup.error!.properties).toEqual(expect.objectContaining({ uid: 'u1', line: 4, firstLine: 2 }));
    expect((await allObjects(file.env)).map((o) => o.attributes.firstName).sort()).toEqual(['Ann', 'Bea']);
    const u1 = (await shadowOf(file.env, 'u1'))!._id;
    expect(r.seen.get(u1)).toEqual({ _id: u1, line: 2 });
  });

  it('a malformed row fails alone, its error naming the account by uid, name and line, and nothing internal', async () => {
    const r = await sync(testApp({ reactions: FULL }), csv('u1,a,E1,Ann,A,employee,', 'u2,b,E2,Bea', 'u3,c,E3,Cid,C,employee,'));
    const bad = r.accounts[1]!;
    expect(bad.error).toEqual(expect.objectContaining({ label: 'SOURCE_ROW_ERROR', description: expect.stringMatching(/^line 3: expected \d+ columns, got 4$/) }));
    expect(bad.error!.properties).toEqual({ uid: 'u2', name: 'b', line: 3 });
    expect((await allObjects(file.env)).map((o) => o.attributes.firstName).sort()).toEqual(['Ann', 'Cid']);
  });

  it('a disabled object synchronization definition skips its accounts, which are not taken for deleted', async () => {
    const X = await idmObject(file.env, { employeeNumber: 'P1', firstName: 'Pat' }, 'partner');
    await existingShadow(file.env, 'p1', [X], { objectType: 'partner' });
    const base = testApp({ reactions: { ...FULL, DELETED: ['INACTIVATE_IDM_OBJECT'] } }).synchronizationDefinition!.objectSynchronizationDefinitions[0]!;
    const app = testApp({ objectSyncs: [base, { ...base, objectType: 'partner', enabled: false }] });
    const r = await sync(app, csv('u1,a,E1,Ann,A,employee,', 'p1,p,P1,Patrick,P,partner,'));
    expect(byUid(r).p1).toEqual({ uid: 'p1', name: 'p', line: 3, actions: [], skipped: true });
    expect(r.deleted).toEqual([]);
    expect(r.counters).toEqual(expect.objectContaining({ processed: 2, errors: 0, skipped: 1 }));
    expect(await file.env.idm.get(X)).toEqual(expect.objectContaining({ lifecycleState: 'ACTIVE', version: 1, attributes: { employeeNumber: 'P1', firstName: 'Pat' } }));
  });

  it('an account that never had an owner and leaves the source is DELETED once, its owner actions passed over', async () => {
    await existingShadow(file.env, 'd1', []);
    const app = testApp({ reactions: { ...FULL, DELETED: ['UNLINK', 'INACTIVATE_IDM_OBJECT', 'PATCH'] } });
    const gone = await sync(app, csv());
    expect(gone.deleted.map(brief)).toEqual([{ situation: 'DELETED', actions: ['UNLINK'], error: undefined }]);
    expect(await shadowOf(file.env, 'd1')).toEqual(expect.objectContaining({ dead: true, owners: [] }));
    expect(await sync(app, csv())).toEqual(expect.objectContaining({ deleted: [] }));
  });

  it('an account correlated to an object of another type is not linked to it: the entry fails, nothing is written', async () => {
    const X = await idmObject(file.env, { employeeNumber: 'P1', firstName: 'Pat' }, 'employee');
    const base = testApp({ reactions: FULL }).synchronizationDefinition!.objectSynchronizationDefinitions[0]!;
    const app = testApp({ reactions: FULL, objectSyncs: [base, { ...base, objectType: 'partner' }] });
    const r = await sync(app, csv('p1,p,P1,Patrick,P,partner,'));
    expect(brief(r.accounts[0])).toEqual({ situation: 'UNLINKED', actions: [], error: 'OBJECT_TYPE_MIGRATION_FORBIDDEN' });
    expect(r.accounts[0]!.error!.properties).toEqual(expect.objectContaining({ idmObjectId: X, ownerType: 'employee', resolvedType: 'partner', uid: 'p1' }));
    expect(await file.env.idm.get(X)).toEqual(expect.objectContaining({ type: 'employee', version: 1, attributes: { employeeNumber: 'P1', firstName: 'Pat' } }));
    expect(await shadowOf(file.env, 'p1')).toBeUndefined();
  });

  it('a dead account that reappears is a new account: correlation decides', async () => {
    const app = testApp({ reactions: { ...FULL, DELETED: ['REMOVE_IDM_OBJECT'] } });
    const row = csv('u1,a,E1,Ann,A,employee,');
    const first = await sync(app, row);
    const A = first.accounts[0]!.idmObjectId!;
    const gone = await sync(app, csv());
    expect(gone.deleted.map(brief)).toEqual([{ situation: 'DELETED', actions: ['REMOVE_IDM_OBJECT'], error: undefined }]);
    expect(await sync(app, csv())).toEqual(expect.objectContaining({ deleted: [] })); // dead: never DELETED again
    const back = await sync(app, row);
    expect(brief(back.accounts[0])).toEqual({ situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT'], error: undefined });
    const B = back.accounts[0]!.idmObjectId!;
    expect(B).not.toBe(A);
    expect((await allObjects(file.env)).map((o) => o.id)).toEqual([B]);
    expect(await shadowOf(file.env, 'u1')).toEqual(expect.objectContaining({ dead: false, generation: 1, owners: [B] }));
  });

  it('an account whose owner was deleted meanwhile is correlated again', async () => {
    const X = await idmObject(file.env, BOB);
    await existingShadow(file.env, 'u1', ['deleted-object']);
    const r = await sync(testApp({ reactions: FULL }), csv('u1,a,E1,Robert,Smith,employee,'));
    expect(brief(r.accounts[0])).toEqual({ situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], error: undefined });
    expect((await shadowOf(file.env, 'u1'))!.owners).toEqual([X]);
    expect(await allObjects(file.env)).toHaveLength(1);
  });

  it('custom correlation with ObjectFinder; CORRELATION_METADATA read by a mapping rule', async () => {
    const X = await idmObject(file.env, { email: 'ann@x.com', firstName: 'Ann' });
    const script = `const found = ObjectFinder.find({ email: String(ACCOUNT.mail).toLowerCase() }, 5);
if (found.length === 0) return [];
return CorrelationResult.of(found.map(function (o) { return o.id; }), { matchedBy: 'email', firstName: found[0].firstName });`;
    const app = testApp({
      reactions: FULL,
      objectSync: { correlationDefinition: { customCorrelationStrategyDefinition: { computeRule: { script } } } },
      inbound: [
        simpleMapping('email', 'mail'),
        { idmAttributeId: 'matchedBy', custom: { computeRule: { script: "return CORRELATION_METADATA ? CORRELATION_METADATA.matchedBy + ':' + CORRELATION_METADATA.firstName : 'none'" } } },
      ],
    });
    const r = await sync(app, csv('u1,a,,,,employee,ANN@X.COM', 'u2,b,,,,employee,bob@x.com'));
    expect(r.accounts.map(brief)).toEqual([
      { situation: 'UNLINKED', actions: ['LINK', 'SYNCHRONIZE_IDM_OBJECT'], error: undefined },
      { situation: 'UNMATCHED', actions: ['ADD_IDM_OBJECT'], error: undefined },
    ]);
    expect((await file.env.idm.get(X))!.attributes).toEqual({ email: 'ANN@X.COM', firstName: 'Ann', matchedBy: 'email:Ann' });
    const created = (await file.env.idm.get(r.accounts[1]!.idmObjectId!))!;
    expect(created.attributes).toEqual({ email: 'bob@x.com', matchedBy: 'none' });
  });

  it('simple correlation: normalize rules, multi-valued attributes ORed, several attributes ANDed', async () => {
    const X = await idmObject(file.env, { employeeNumber: 'E1', email: ['a@x.com', 'b@x.com'] });
    const Y = await idmObject(file.env, { employeeNumber: 'E1', email: 'c@x.com' });
    const app = testApp({
      reactions: { ...FULL, UNLINKED: ['LINK'], UNMATCHED: ['NO_OP'] },
      objectSync: {
        correlationDefinition: {
          simpleCorrelationStrategyDefinition: {
            attributeCorrelationDefinitions: [
              { inputAttributeId: 'empNo', idmAttributeId: 'employeeNumber', normalizeRule: { script: 'return String(VALUE).trim().toUpperCase();' } },
              { inputAttributeId: 'mail', idmAttributeId: 'email' },
            ],
          },
        },
      },
    });
    const r = await sync(app, csv('u1,a,e1,,,employee,z@x.com|b@x.com', 'u2,b,E2,,,employee,b@x.com', 'u3,c,E1,,,employee,c@x.com|a@x.com'), { csvProps: { multiValuedAttributes: ['mail'] } });
    expect(r.accounts.map((o) => [o.uid, o.situation])).toEqual([
      ['u1', 'UNLINKED'],
      ['u2', 'UNMATCHED'],
      ['u3', 'DISPUTED'],
    ]);
    expect((await shadowOf(file.env, 'u1'))!.owners).toEqual([X]);
    expect((await shadowOf(file.env, 'u3'))!.owners).toEqual([]);
    expect((await file.env.idm.get(Y))!.version).toBe(1);
  });

  it('writes only changed attributes: an unchanged account leaves the object and its shadow as they were', async () => {
    const app = testApp({ reactions: FULL, inbound: [...BASE_MAPPINGS, simpleMapping('mail', 'mail')] });
    await sync(app, csv('u1,a,E1,Ann,Smith,employee,ann@x.com'));
    const [created] = await allObjects(file.env);
    await file.env.idm.replace(created!.id, { ...created!, attributes: { ...created!.attributes, extra: 'kept' } });
    const before = await dump(file.env.db);

    const same = await sync(app, csv('u1,a,E1,Ann,Smith,employee,ann@x.com'));
    expect(brief(same.accounts[0])).toEqual({ situation: 'LINKED', actions: ['SYNCHRONIZE_IDM_OBJECT'], error: undefined });
    const after = await dump(file.env.db);
    expect(after.idmObjects).toEqual(before.idmObjects);
    expect(after.shadows).toEqual(before.shadows);

    await sync(app, csv('u1,a,E1,Ann,Jones,employee,'));
    expect((await file.env.idm.get(created!.id))).toEqual(
      expect.objectContaining({ version: 3, attributes: { employeeNumber: 'E1', firstName: 'Ann', lastName: 'Jones', extra: 'kept' } }),
    );
    await expectKeysConsistent(file.env);
  });

  it('refuses to correlate on attributes whose correlation keys are not maintained', async () => {
    const ctx = await startRun(file.env, testApp({ reactions: FULL }), 'RECONCILIATION');
    const items = await readAll(await csvConnector(file.env, `t${++files}.csv`, csv('u1,a,E1,Ann,A,employee,')));
    await expect(decideAccountsPage(ctx.run, { ...ctx.deps, tracked: [] }, items)).rejects.toMatchObject({ label: 'CONFIGURATION_ERROR' });
  });
});
