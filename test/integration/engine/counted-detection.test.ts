import type { Situation, SyncAction } from '../../../src/config/enums';
import { shadowId } from '../../../src/engine/ids';
import { decideDeletedPage } from '../../../src/engine/inbound/page';
import { seenMarksCollection } from '../../../src/store/seen-marks';
import { unseenLiveShadows } from '../../../src/store/seen-count';
import { ShadowDeaths } from '../../../src/store/shadow-deaths';
import { COLLECTIONS } from '../../../src/store/collections';
import { CSV_OBJECT_CLASS_ID } from '../../../src/config/enums';
import { APP_ID, csv, existingShadow, shadowOf, testApp } from './fixtures';
import { csvConnector, engineTestFile, readAll, runPage, startRun, type RunContext } from './harness';

const REACTIONS: Partial<Record<Situation, SyncAction[]>> = { LINKED: ['SYNCHRONIZE_IDM_OBJECT'], UNMATCHED: ['ADD_IDM_OBJECT'], DELETED: ['INACTIVATE_IDM_OBJECT'] };
const ROWS = ['u1,a,E1,Ann,Smith,employee,', 'u2,b,E2,Bob,Jones,employee,', 'u3,c,E3,Cy,Stone,employee,'];

/**
 * The counted deleted detection (src/store/seen-count.ts): a reconciliation that saw every live shadow proves it
 * with two counts and reads none of them; anything that could make equal counts lie takes the scan, which finds
 * the unseen shadows one by one. Each case checks the counts themselves, so that it shows what the proof guards.
 */
describe('the counted deleted detection', () => {
  const file = engineTestFile();
  const app = testApp({ reactions: REACTIONS });
  let files = 0;

  /** A reconciliation's pages over `rows`, without its deleted detection (the test runs that itself). */
  async function pagesOf(rows: string[]): Promise<RunContext> {
    const ctx = await startRun(file.env, app, 'RECONCILIATION');
    await runPage(ctx, 'a0', await readAll(await csvConnector(file.env, `c${++files}.csv`, csv(...rows))));
    return ctx;
  }

  /** The detection: whether it counted, and the uids of the unseen shadows. */
  async function detect(ctx: RunContext): Promise<{ counted: boolean; unseen: string[] }> {
    const found = await unseenLiveShadows(file.env.db, ctx.deps, APP_ID, CSV_OBJECT_CLASS_ID);
    const ids: string[] = [];
    for await (const s of found.unseen) ids.push(s._id);
    const uids = (await file.env.shadows.getMany(ids)).values();
    return { counted: found.counted, unseen: [...uids].map((s) => s.uid).sort() };
  }

  /** What the proof compares: live shadows of the object class, and the run's marks not flagged dead. */
  async function counts(ctx: RunContext): Promise<{ live: number; liveMarks: number }> {
    const marks = file.env.db.collection(seenMarksCollection(ctx.run.runId));
    return {
      live: await file.env.shadows.col.countDocuments({ applicationId: APP_ID, objectClassId: CSV_OBJECT_CLASS_ID, dead: false }),
      liveMarks: await marks.countDocuments({ _id: { $not: /^~/ }, dead: { $ne: true } }),
    };
  }

  it('a reconciliation that read every account proves it by counting; one that missed an account scans and finds it', async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    const all = await file.sync(app, csv(...ROWS));
    expect(all.counted).toBe(true);
    expect(all.deleted).toEqual([]);

    const missing = await file.sync(app, csv(ROWS[0]!, ROWS[2]!));
    expect(missing.counted).toBe(false);
    expect(missing.deleted.map((o) => [o.uid, o.situation])).toEqual([['u2', 'DELETED']]);
    expect((await shadowOf(file.env, 'u2'))!.dead).toBe(true);

    // the dead shadow is history: the next reconciliation of the same two rows counts again
    const after = await file.sync(app, csv(ROWS[0]!, ROWS[2]!));
    expect(after.counted).toBe(true);
    expect(after.deleted).toEqual([]);
  });

  it('changed and new accounts are counted too (a reconciliation marks the shadows it writes as well)', async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    const r = await file.sync(app, csv(ROWS[0]!, 'u2,b,E2,Bob,Jonas,employee,', ROWS[2]!, 'u4,d,E4,Di,Lane,employee,'));
    expect(r.accounts.map((o) => o.situation)).toEqual(['LINKED', 'LINKED', 'LINKED', 'UNMATCHED']);
    expect(r.counted).toBe(true);
    expect(r.deleted).toEqual([]);
  });

  it("a mark of a dead shadow (an account read again, with an error) is not counted as a live one seen", async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    await existingShadow(file.env, 'u9', [], { dead: true });
    // u3 is gone; u9's row has a column missing, so the run marks its (dead) shadow seen without processing it
    const ctx = await pagesOf([ROWS[0]!, ROWS[1]!, 'u9,z,E9,Zed,Last,employee']);
    const marks = await file.env.db.collection<{ _id: string }>(seenMarksCollection(ctx.run.runId)).find({ _id: shadowId(APP_ID, CSV_OBJECT_CLASS_ID, 'u9') }).toArray();
    expect(marks).toEqual([{ _id: shadowId(APP_ID, CSV_OBJECT_CLASS_ID, 'u9'), line: 4, dead: true }]);
    // unflagged, that mark would stand in for u3: three live shadows, three marks
    expect(await counts(ctx)).toEqual({ live: 3, liveMarks: 2 });
    expect(await detect(ctx)).toEqual({ counted: false, unseen: ['u3'] });
  });

  it('a shadow the run saw, made dead by another run meanwhile: the counts balance, the ledger refuses them', async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    const ctx = await pagesOf([ROWS[0]!, ROWS[1]!]); // u3 unseen
    // another reconciliation, whose file lacks u1, makes u1's shadow dead through its page journal
    const other = await startRun(file.env, app, 'RECONCILIATION');
    const plan = await decideDeletedPage(other.run, other.deps, [shadowId(APP_ID, CSV_OBJECT_CLASS_ID, 'u1')]);
    await file.env.journal(other.run.runId).apply(plan);
    expect((await shadowOf(file.env, 'u1'))!.dead).toBe(true);
    expect(await counts(ctx)).toEqual({ live: 2, liveMarks: 2 }); // u2, u3 live; u1, u2 marked
    expect(await detect(ctx)).toEqual({ counted: false, unseen: ['u3'] });
  });

  it('a write of dead shadows that was interrupted keeps every run from counting until its run ends', async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    const deaths = new ShadowDeaths(file.env.db);
    await expect(deaths.around('crashed-run', [APP_ID], () => Promise.reject(new Error('worker killed')))).rejects.toThrow('worker killed');
    expect(await deaths.read(APP_ID)).toEqual({ applied: 0, inFlight: true });

    const during = await file.sync(app, csv(...ROWS));
    expect(during.counted).toBe(false);
    expect(during.deleted).toEqual([]);

    await deaths.forgetRun('crashed-run');
    expect(await deaths.read(APP_ID)).toEqual({ applied: 1, inFlight: false });
    expect(await file.env.db.collection(COLLECTIONS.shadowDeathsInFlight).countDocuments({})).toBe(0);
    expect((await file.sync(app, csv(...ROWS))).counted).toBe(true);
  });

  it('a run whose own page made a shadow dead, or that started before counting existed, scans', async () => {
    await file.sync(app, csv(...ROWS), { taskType: 'IMPORT' });
    const ctx = await pagesOf(ROWS);
    await file.env.db.collection<{ _id: string }>(seenMarksCollection(ctx.run.runId)).deleteOne({ _id: '~counting' });
    expect(await detect(ctx)).toEqual({ counted: false, unseen: [] });

    const ledger = await new ShadowDeaths(file.env.db).read(APP_ID);
    const ctx2 = await pagesOf(ROWS);
    await file.env.journal(ctx2.run.runId).apply({ objectUpserts: [], objectDeletes: [], keyAdds: [], keyPulls: [], outcomes: [], shadowUpserts: [{ ...(await existingShadow(file.env, 'u8', [])), dead: true }] });
    expect(await new ShadowDeaths(file.env.db).read(APP_ID)).toEqual({ applied: ledger.applied + 1, inFlight: false });
    expect(await detect(ctx2)).toEqual({ counted: false, unseen: [] });
  });
});
