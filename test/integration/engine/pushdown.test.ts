import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { testEnv, uniqueTenant } from '../../harness/env';
import { compileApplication, correlationAttributes } from '../../../src/engine/compiled-application';
import { decideAccountsPage, decideDeletedPage } from '../../../src/engine/inbound/page';
import { idmObjectFinder } from '../../../src/engine/object-finder';
import { IdmObjectStore } from '../../../src/store/idm-objects';
import { TenantDbs } from '../../../src/store/mongo';
import { PageJournal } from '../../../src/store/page-journal';
import { SeenMarks, seenMarksCollection } from '../../../src/store/seen-marks';
import { ShadowStore } from '../../../src/store/shadows';
import { createScriptEngine } from '../../../src/scripting';
import { csv, testApp } from './fixtures';
import { csvConnector, openEngineEnv, readAll } from './harness';

/**
 * ARCHITECTURE.md §4: every query the engine issues while deciding a page is an `_id` equality or `_id` `$in` that
 * FerretDB pushes down (the `$in` through the local patch, scripts/ferretdb/), and a page costs one query per
 * collection and step, whatever its size. The queries are the ones the engine really sent (command monitoring),
 * each explained on the server.
 */
describe('hot-path queries of the inbound engine', () => {
  it('deciding pages of accounts and of deleted shadows reads by pushed-down `_id` look-ups, batched per page', async () => {
    const client = new MongoClient(testEnv().mongoUri, { monitorCommands: true });
    const files = await openEngineEnv();
    const scripts = await createScriptEngine();
    try {
      const db = new TenantDbs(client, 'idmsync').db(uniqueTenant('push'));
      const idm = new IdmObjectStore(db);
      const shadows = new ShadowStore(db);
      const compiled = compileApplication(testApp({ reactions: { UNMATCHED: ['ADD_IDM_OBJECT'], LINKED: ['SYNCHRONIZE_IDM_OBJECT'], DELETED: ['INACTIVATE_IDM_OBJECT'] } }), scripts);
      const deps = { idm, shadows, seen: new SeenMarks(db, 'r1'), connector: null, tracked: await idm.keys.ensureTracked(correlationAttributes(compiled)), objectFinder: idmObjectFinder(idm), purity: scripts };
      const size = 60;
      for (let i = 0; i < size; i += 2) await idm.create({ kind: 'IDENTITY', type: 'employee', lifecycleState: 'ACTIVE', attributes: { employeeNumber: `E${i}` } });
      const rows = Array.from({ length: size }, (_, i) => `u${i},n${i},E${i},Ann,A,employee,`);
      const items = await readAll(await csvConnector(files, 'p.csv', csv(...rows)));

      // an earlier page's mark: the run's marks collection exists, so its look-up is explained as in a real run
      await deps.seen.add([{ _id: 'earlier-page', line: 1 }]);
      const finds: Document[] = [];
      client.on('commandStarted', (e: CommandStartedEvent) => {
        if (e.commandName === 'find') finds.push(e.command);
      });
      const run = { runId: 'r1', taskType: 'RECONCILIATION' as const, objectClassId: '__ACCOUNT__', compiled };
      const plan = await decideAccountsPage(run, deps, items);
      await new PageJournal(db, 'r1').apply(plan, deps.seen);
      const linked = plan.shadowUpserts.map((s) => s._id);
      await decideDeletedPage({ ...run, runId: 'r2' }, deps, linked);
      client.removeAllListeners('commandStarted');

      expect(plan.outcomes.map((o) => o.situation)).toEqual(rows.map((_, i) => (i % 2 === 0 ? 'UNLINKED' : 'UNMATCHED')));
      // accounts page: its shadows, its seen marks, its correlation keys, its candidates; deleted page: its shadows, their owners
      const perCollection = (name: string) => finds.filter((f) => f.find === name).length;
      expect({
        shadows: perCollection('shadows'),
        seenMarks: perCollection(seenMarksCollection('r1')),
        correlationKeys: perCollection('correlationKeys'),
        idmObjects: perCollection('idmObjects'),
        all: finds.length,
      }).toEqual({ shadows: 2, seenMarks: 1, correlationKeys: 1, idmObjects: 2, all: 6 });
      // every shadow is new, so each carries the run's mark; a reconciliation also gives each a mark of its own, so
      // that its marks count the live shadows it saw (seen-count.ts)
      expect(plan.shadowUpserts.map((sh) => sh.seenBy)).toEqual(items.map((i) => `${i.line}:r1`));
      expect(plan.seenMarks).toEqual(plan.shadowUpserts.map((sh, i) => ({ _id: sh._id, line: items[i]!.line })));
      for (const f of finds) {
        expect(Object.keys(f.filter as Document)).toEqual(['_id']);
        const explained = await db.command({ explain: { find: f.find as string, filter: f.filter as Document } });
        // filterPushdown alone is not enough: the SQLite plan must search the _id index, not scan the table.
        const plan = JSON.stringify(explained.queryPlanner?.Plan ?? explained.queryPlanner);
        expect({ collection: f.find, filter: f.filter, filterPushdown: explained.filterPushdown, indexed: /SEARCH .* USING INDEX/.test(plan) }).toEqual({
          collection: f.find,
          filter: f.filter,
          filterPushdown: true,
          indexed: true,
        });
      }
    } finally {
      scripts.dispose();
      await files.close();
      await client.close();
    }
  });
});
