import { overlap, WHOLE_COLLECTION, type ReadSet, type WriteSet } from '../store/read-recorder';

/** A page decided ahead of its turn: its plan, what it read to decide it, the first thing it was refused, its configuration. */
export interface DecidedAhead<P> {
  plan: P;
  reads: ReadSet;
  violation: string | null;
  /** the versions of the configuration it was decided with (compared with the page's own activity's) */
  fingerprint: string;
}

/** Why a page decided ahead was used or not (logged, and counted by tests). */
export type AheadVerdict =
  | 'used'
  | 'none'
  | 'another page'
  | 'configuration changed'
  | 'too old'
  | 'previous page not journaled here'
  | 'failed'
  | 'not read-only'
  | 'read what the previous page writes';

interface Ahead<P> {
  pageNo: number;
  position: string;
  startedAt: number;
  result: Promise<DecidedAhead<P> | null>;
  /** the writes of the page before, once its plan is journaled */
  previous?: WriteSet;
}

export interface Taken<P> {
  plan: P | null;
  verdict: AheadVerdict;
  /** for 'read what the previous page writes': one of the documents */
  where?: string;
}

/**
 * The pages of runs being decided ahead of their turn in this worker process, at most one per run.
 *
 * Why: the pages of a run are sequential, and within a page the worker and the store mostly take turns (the worker
 * decides while the store waits, then the store writes while the worker waits). Page n + 1 is decided while page n
 * is journaled and applied, its progress written and the next activity scheduled, so both processes work at once.
 *
 * Why it is right: page n + 1 is decided from a read-only view of the store that records every document it reads
 * (ReadRecorder), started once page n's source position is known. When page n's plan is journaled, its writes are
 * recorded here. Page n + 1's activity uses the plan decided ahead only if nothing it read is among those writes:
 * then it read exactly what it would have read after page n, and decides the same. Every earlier page was applied
 * before page n's activity started. Otherwise (an account of page n + 1 correlating to an object page n creates,
 * the same uid on both pages...), or if anything else is off (another page or position, another configuration,
 * page n journaled by another worker, too old, a failure, a write attempted), the page is decided again as before.
 * Nothing decided ahead is written anywhere before it is checked, so a crash loses only work.
 */
export class PagesAhead<P> {
  private readonly byRun = new Map<string, Ahead<P>>();
  /** runs whose pages keep reading what the page before writes: no page before `until` is decided ahead; `next` pages after the next such page */
  private readonly backOff = new Map<string, { until: number; next: number }>();

  constructor(
    /** a page decided longer ago than this is decided again: its reads are that old */
    private readonly maxAgeMs = 30_000,
    /** runs with a page ahead at once in this process; the oldest is dropped beyond */
    private readonly maxRuns = 32,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /**
   * Starts deciding page `pageNo` of `run` (read from `position`) ahead, in place of whatever was ahead for the run.
   * A run whose pages read what the page before them writes (an import whose accounts correlate to objects created
   * one page earlier, a correlation rule that scans) would decide most pages twice: after such a page, the next 1, 2,
   * 4... up to 32 pages are not decided ahead, until one decided ahead is used again.
   */
  start(run: string, pageNo: number, position: string, decide: () => Promise<DecidedAhead<P>>): void {
    this.evict();
    this.byRun.delete(run);
    if (pageNo < (this.backOff.get(run)?.until ?? 0)) return;
    // A failure only means the page is decided again in its turn, which reports it.
    const result = decide().catch(() => null);
    this.byRun.set(run, { pageNo, position, startedAt: this.clock(), result });
  }

  /** Whether page `pageNo` of `run`, from `position`, is being (or was) decided ahead. */
  has(run: string, pageNo: number, position: string): boolean {
    const a = this.byRun.get(run);
    return !!a && a.pageNo === pageNo && a.position === position;
  }

  /** Page `pageNo - 1` of `run` is journaled with these writes: the page ahead, if it is `pageNo`, is checked against them. */
  previousJournaled(run: string, pageNo: number, writes: WriteSet): void {
    const a = this.byRun.get(run);
    if (a && a.pageNo === pageNo) a.previous = writes;
  }

  /** The plan decided ahead for page `pageNo` of `run` from `position`, if it is still right (see the class comment). */
  async take(run: string, pageNo: number, position: string, fingerprint: string): Promise<Taken<P>> {
    const a = this.byRun.get(run);
    if (!a) return { plan: null, verdict: 'none' };
    this.byRun.delete(run);
    if (a.pageNo !== pageNo || a.position !== position) return { plan: null, verdict: 'another page' };
    if (!a.previous) return { plan: null, verdict: 'previous page not journaled here' };
    const decided = await a.result;
    if (this.clock() - a.startedAt > this.maxAgeMs) return { plan: null, verdict: 'too old' };
    if (!decided) return { plan: null, verdict: 'failed' };
    if (decided.fingerprint !== fingerprint) return { plan: null, verdict: 'configuration changed' };
    if (decided.violation !== null) return { plan: null, verdict: 'not read-only', where: decided.violation };
    const met = overlap(decided.reads, a.previous)[0];
    if (met) {
      const skip = this.backOff.get(run)?.next ?? 1;
      this.backOff.set(run, { until: pageNo + 1 + skip, next: Math.min(32, skip * 2) });
      return { plan: null, verdict: 'read what the previous page writes', where: `${met.collection} ${met.id === WHOLE_COLLECTION ? '(scan)' : met.id}` };
    }
    this.backOff.delete(run);
    return { plan: decided.plan, verdict: 'used' };
  }

  private evict(): void {
    const now = this.clock();
    for (const [run, a] of this.byRun) if (now - a.startedAt > this.maxAgeMs) this.byRun.delete(run);
    while (this.byRun.size >= this.maxRuns) this.byRun.delete(this.byRun.keys().next().value!);
    while (this.backOff.size > this.maxRuns) this.backOff.delete(this.backOff.keys().next().value!);
  }
}
