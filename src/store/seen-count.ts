import type { Db, Document } from 'mongodb';
import { insertNew } from './bulk-writes';
import { COLLECTIONS } from './collections';
import { seenMarksCollection, type SeenMarks } from './seen-marks';
import type { ShadowStore } from './shadows';
import { noDeathBetween, ShadowDeaths, type DeathsReading } from './shadow-deaths';

/** The document of a reconciliation's seen marks that records when counting began (no shadow id starts with `~`). */
const COUNTING_ID = '~counting';

interface CountingDoc {
  _id: typeof COUNTING_ID;
  line: 0;
  deaths: DeathsReading;
}

/**
 * The deleted detection of a reconciliation, counted instead of scanned when it can be: if the live shadows of the
 * object class are exactly as many as the live shadows the run marked seen, none is unseen, and there is nothing to
 * look up. At 1,000,000 accounts the scan of every shadow and the look-up of its mark took ~30 s; the two counts
 * take a few seconds, and a no-change reconciliation is the common case.
 *
 * Why equal counts prove it. A reconciliation marks every shadow whose account it read with a mark of its own (a
 * shadow dead at that moment with a mark that says so); marks are unique by shadow id and all in the object class.
 * So the marks not flagged dead are live shadows seen, as long as none of them died since: then they are a subset
 * of the live shadows, and as many only if they are all of them. A shadow dies only by a write of a page plan, and
 * those go through the {@link ShadowDeaths} ledger: the run reads it when it starts ({@link startCounting}), and
 * the counts are trusted only if no write of a dead shadow of the application was in flight or completed between
 * that reading and the end of the counts. Anything else (a run prepared before this existed, a death meanwhile,
 * different counts) takes the scan, which finds the unseen shadows one by one, as before.
 */
export async function startCounting(db: Db, runId: string, applicationId: string): Promise<void> {
  const doc: CountingDoc = { _id: COUNTING_ID, line: 0, deaths: await new ShadowDeaths(db).read(applicationId) };
  // A prepare retried keeps the first reading: the earlier the start, the more deaths it takes into account.
  await insertNew(db.collection<CountingDoc>(seenMarksCollection(runId)), [doc]);
}

/** Whether the run has marked every live shadow of the object class seen, proved by counting (see startCounting). */
export async function allLiveShadowsSeen(db: Db, runId: string, applicationId: string, objectClassId: string): Promise<boolean> {
  const marks = seenMarksCollection(runId);
  const start = await db.collection<CountingDoc>(marks).findOne({ _id: COUNTING_ID });
  if (!start) return false;
  const deaths = new ShadowDeaths(db);
  const before = await deaths.read(applicationId);
  if (!noDeathBetween(start.deaths, before)) return false;
  const [live, all, dead] = await Promise.all([
    count(db, COLLECTIONS.shadows, { applicationId, objectClassId, dead: false }),
    count(db, marks, {}),
    count(db, marks, { dead: true }),
  ]);
  if (!noDeathBetween(before, await deaths.read(applicationId))) return false;
  return live === all - 1 - dead;
}

/**
 * The live shadows of the object class that the run did not see (the deleted detection): none, without reading
 * them, when counting proves it ({@link allLiveShadowsSeen}), otherwise every live shadow is checked against its mark.
 */
export async function unseenLiveShadows(
  db: Db,
  stores: { seen: SeenMarks; shadows: ShadowStore },
  applicationId: string,
  objectClassId: string,
): Promise<{ counted: boolean; unseen: AsyncIterable<{ _id: string }> }> {
  if (await allLiveShadowsSeen(db, stores.seen.runId, applicationId, objectClassId)) return { counted: true, unseen: none() };
  return { counted: false, unseen: stores.seen.unseen(stores.shadows.live(applicationId, objectClassId)) };
}

async function* none(): AsyncGenerator<{ _id: string }> {}

/**
 * The `count` command rather than `countDocuments` (an aggregation): the embedded FerretDB decodes only the fields
 * a count's filter reads (docs/decisions.md, FerretDB patch 8). MongoDB answers it exactly on one replica set.
 */
async function count(db: Db, collection: string, query: Document): Promise<number> {
  const r = await db.command({ count: collection, query });
  return Number(r.n);
}
