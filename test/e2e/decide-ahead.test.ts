import { readFileSync, writeFileSync } from 'node:fs';
import type { TestApi } from '../harness/api';
import { testSettings, uniqueTenant } from '../harness/env';
import { startExampleTenant } from '../harness/example-tenant';
import { launch, waitForRun, type Progress } from '../harness/runs';
import type { TestWorker } from '../harness/worker';

interface Obj {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
}

/**
 * Pages decided ahead of their turn (src/activities/decide-ahead.ts) on a file built so that two pages read what
 * the page before them writes, with pages of 2 rows (header on line 1):
 * - rows 3-4 (page 1) hold E1003 and E1004, and row 5 (page 2) repeats E1004: page 2, decided while page 1 was
 *   applied, read E1004's shadow before page 1 created it, and must be decided again to see the duplicate;
 * - rows 22-23 (pages 10 and 11) are two partners with one e-mail address: the second correlates (custom rule,
 *   ObjectFinder through the e-mail correlation key) to the object the first creates, and must be linked to it,
 *   not given an object of its own.
 * The same runs on a worker that decides every page in its turn give the same results.
 */
describe('pages decided ahead of their turn (REST, CSV, pages of 2)', () => {
  const tenants = { ahead: uniqueTenant('ahead'), inTurn: uniqueTenant('inturn') };
  const started: Record<keyof typeof tenants, { api: TestApi; worker: TestWorker; csvPath: string }> = {} as never;

  beforeAll(async () => {
    for (const [which, decideAhead] of [['ahead', 'on'], ['inTurn', 'off']] as const) {
      started[which] = await startExampleTenant(testSettings({ PAGE_SIZE: '2', PAGE_DECIDE_AHEAD: decideAhead }), tenants[which]);
      const rows = readFileSync(started[which].csvPath, 'utf8').trimEnd().split('\n');
      const e1004 = rows.find((l) => l.startsWith('E1004,'))!;
      rows.splice(rows.indexOf(e1004) + 1, 0, e1004.replace('david.thomas@', 'd.thomas@'));
      rows.push('P2006,Ugo,Petit,u.petit@acme-outsourcing.com,Support,partner,E1013', 'P2007,Ugo,Petit,U.Petit@acme-outsourcing.com ,Support,partner,E1013');
      writeFileSync(started[which].csvPath, rows.join('\n') + '\n');
    }
  });
  afterAll(async () => {
    for (const s of Object.values(started)) {
      await s.worker?.stop();
      await s.api?.close();
    }
  });

  const run = async (which: keyof typeof tenants, definition: string): Promise<Progress> => {
    const { api } = started[which];
    const { path } = await launch(api, tenants[which], 'sync-tasks', definition);
    return waitForRun(api, `${path}?option=expandErrorDetails:true`);
  };
  const objects = async (which: keyof typeof tenants): Promise<Obj[]> => {
    const r = await started[which].api.req('GET', `/${tenants[which]}/api/idm/objects?limit=1000`);
    return r.json as Obj[];
  };
  /** The objects without their ids and dates, for comparing two tenants. */
  const comparable = (list: Obj[]) => list.map((o) => ({ type: o.type, attributes: o.attributes })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const duplicates = (p: Progress) => (p.errorDetails ?? []).filter((e) => e.description.includes('Duplicate __UID__ "E1004"'));

  it('IMPORT: a page that read what the page before wrote is decided again; the rest are used, with the results of pages decided in turn', async () => {
    const ahead = await run('ahead', 'hr-import');
    const inTurn = await run('inTurn', 'hr-import');
    for (const p of [ahead, inTurn]) {
      expect(p).toEqual(expect.objectContaining({ outcomeStatus: 'PARTIAL', numberOfEntriesToProcess: 23, numberOfProcessedEntries: 23, numberOfErrors: 1 }));
      expect(p.statistics.situations).toEqual({ UNMATCHED: 21, UNLINKED: 1 });
      expect(p.statistics.actions).toEqual({ ADD_IDM_OBJECT: 21, LINK: 1, SYNCHRONIZE_IDM_OBJECT: 1 });
      expect(duplicates(p)).toHaveLength(1);
    }
    // 12 pages; page 0 has none before it; pages 2 and 11 read what pages 1 and 10 wrote; page 3 is the back-off after page 2
    expect(ahead.statistics.pagesDecidedAhead).toBe(8);
    expect(inTurn.statistics.pagesDecidedAhead).toBe(0);

    const all = await objects('ahead');
    expect(all).toHaveLength(21);
    expect(all.filter((o) => o.attributes.employeeNumber === 'E1004')).toHaveLength(1);
    expect(all.filter((o) => String(o.attributes.email).toLowerCase() === 'u.petit@acme-outsourcing.com')).toHaveLength(1);
    expect(comparable(all)).toEqual(comparable(await objects('inTurn')));
  });

  it('RECONCILIATION without change: pages that read what the page before writes are decided again, and the objects end as they were', async () => {
    const before = comparable(await objects('ahead'));
    const ahead = await run('ahead', 'hr-reconciliation');
    const inTurn = await run('inTurn', 'hr-reconciliation');
    for (const p of [ahead, inTurn]) {
      expect(p).toEqual(expect.objectContaining({ outcomeStatus: 'PARTIAL', numberOfProcessedEntries: 23, numberOfErrors: 1 }));
      expect(p.statistics.situations).toEqual({ LINKED: 22 });
      expect(p.statistics.actions).toEqual({ SYNCHRONIZE_IDM_OBJECT: 22 });
      expect(duplicates(p)).toHaveLength(1);
    }
    // page 2 read the seen mark of E1004 that page 1 writes; page 3 is its back-off; page 11 read the object page 10
    // writes (P2006 maps its e-mail u.petit@, P2007 U.Petit@ into the one object they share, each in its turn);
    // pages 1 and 4-10 are used
    expect(ahead.statistics.pagesDecidedAhead).toBe(8);
    expect(inTurn.statistics.pagesDecidedAhead).toBe(0);
    expect(comparable(await objects('ahead'))).toEqual(before);
    expect(before).toEqual(comparable(await objects('inTurn')));
  });
});
