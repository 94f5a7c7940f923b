import { PagesAhead, type DecidedAhead } from '../../../src/activities/decide-ahead';
import { WHOLE_COLLECTION, type ReadSet, type WriteSet } from '../../../src/store/read-recorder';

/** A page decided ahead that read `reads`, with the plan named `plan`. */
const decided = (plan: string, reads: ReadSet = new Map(), extra: Partial<DecidedAhead<string>> = {}): DecidedAhead<string> => ({ plan, reads, violation: null, fingerprint: 'cfg-1', ...extra });
const reads = (entries: Record<string, string[] | typeof WHOLE_COLLECTION>): ReadSet => new Map(Object.entries(entries).map(([c, ids]) => [c, ids === WHOLE_COLLECTION ? WHOLE_COLLECTION : new Set(ids)]));
const writes = (entries: Record<string, string[]>): WriteSet => new Map(Object.entries(entries).map(([c, ids]) => [c, new Set(ids)]));

describe('PagesAhead', () => {
  it('hands over the plan of the page decided ahead when it read nothing the page before writes', async () => {
    const ahead = new PagesAhead<string>();
    ahead.start('run', 3, 'pos-3', async () => decided('plan-3', reads({ shadows: ['s5', 's6'], idmObjects: ['o5'] })));
    expect(ahead.has('run', 3, 'pos-3')).toBe(true);
    ahead.previousJournaled('run', 3, writes({ shadows: ['s1', 's2'], idmObjects: ['o1'], correlationKeys: ['k1'] }));
    await expect(ahead.take('run', 3, 'pos-3', 'cfg-1')).resolves.toEqual({ plan: 'plan-3', verdict: 'used' });
    // taken once: a retried activity of the same page decides it itself
    await expect(ahead.take('run', 3, 'pos-3', 'cfg-1')).resolves.toEqual({ plan: null, verdict: 'none' });
  });

  it('refuses a plan that read a document the page before writes, even one it did not find', async () => {
    const ahead = new PagesAhead<string>();
    ahead.start('run', 1, 'p1', async () => decided('plan', reads({ shadows: ['s9'], correlationKeys: ['email\u0000ann@x'] })));
    ahead.previousJournaled('run', 1, writes({ correlationKeys: ['email\u0000ann@x'] }));
    const t = await ahead.take('run', 1, 'p1', 'cfg-1');
    expect(t).toEqual({ plan: null, verdict: 'read what the previous page writes', where: 'correlationKeys email\u0000ann@x' });
  });

  it('refuses a plan that scanned a collection the page before writes, and accepts one that scanned an untouched one', async () => {
    const scanning = new PagesAhead<string>();
    scanning.start('run', 1, 'p1', async () => decided('plan', reads({ idmObjects: WHOLE_COLLECTION })));
    scanning.previousJournaled('run', 1, writes({ idmObjects: ['o1'] }));
    expect((await scanning.take('run', 1, 'p1', 'cfg-1')).verdict).toBe('read what the previous page writes');

    const untouched = new PagesAhead<string>();
    untouched.start('run', 1, 'p1', async () => decided('plan', reads({ idmObjects: WHOLE_COLLECTION })));
    untouched.previousJournaled('run', 1, writes({ idmObjects: [], seenMarks_x: ['s1'] }));
    expect((await untouched.take('run', 1, 'p1', 'cfg-1')).verdict).toBe('used');
  });

  it('refuses a page or position other than the one decided, a changed configuration, a write attempt, a failure', async () => {
    const cases: Array<[string, (a: PagesAhead<string>) => Promise<unknown>, string]> = [
      ['another page number', (a) => a.take('run', 2, 'p1', 'cfg-1'), 'another page'],
      ['another position', (a) => a.take('run', 1, 'p1 ', 'cfg-1'), 'another page'],
      ['another configuration', (a) => a.take('run', 1, 'p1', 'cfg-2'), 'configuration changed'],
    ];
    for (const [, take, verdict] of cases) {
      const ahead = new PagesAhead<string>();
      ahead.start('run', 1, 'p1', async () => decided('plan'));
      ahead.previousJournaled('run', 1, writes({}));
      expect(await take(ahead)).toEqual({ plan: null, verdict });
    }

    const writing = new PagesAhead<string>();
    writing.start('run', 1, 'p1', async () => decided('plan', new Map(), { violation: 'connector.delete' }));
    writing.previousJournaled('run', 1, writes({}));
    expect(await writing.take('run', 1, 'p1', 'cfg-1')).toEqual({ plan: null, verdict: 'not read-only', where: 'connector.delete' });

    const failing = new PagesAhead<string>();
    failing.start('run', 1, 'p1', async () => {
      throw new Error('source unreadable');
    });
    failing.previousJournaled('run', 1, writes({}));
    expect(await failing.take('run', 1, 'p1', 'cfg-1')).toEqual({ plan: null, verdict: 'failed' });
  });

  it('refuses a plan whose previous page was not journaled in this process (another worker took it)', async () => {
    const ahead = new PagesAhead<string>();
    ahead.start('run', 1, 'p1', async () => decided('plan'));
    // the writes of another page are not those of page 0
    ahead.previousJournaled('run', 2, writes({}));
    expect(await ahead.take('run', 1, 'p1', 'cfg-1')).toEqual({ plan: null, verdict: 'previous page not journaled here' });
  });

  it('refuses a plan decided too long ago (a paused run), measured when it is taken', async () => {
    let now = 1_000;
    const ahead = new PagesAhead<string>(30_000, 32, () => now);
    ahead.start('run', 1, 'p1', async () => decided('plan'));
    ahead.previousJournaled('run', 1, writes({}));
    now += 30_001;
    expect((await ahead.take('run', 1, 'p1', 'cfg-1')).verdict).toBe('too old');
  });

  it('keeps one page per run: starting another replaces it, and other runs are not affected', async () => {
    const ahead = new PagesAhead<string>();
    ahead.start('a', 1, 'p1', async () => decided('a1'));
    ahead.start('b', 1, 'p1', async () => decided('b1'));
    ahead.start('a', 2, 'p2', async () => decided('a2'));
    expect(ahead.has('a', 1, 'p1')).toBe(false);
    ahead.previousJournaled('a', 2, writes({}));
    ahead.previousJournaled('b', 1, writes({}));
    expect(await ahead.take('a', 2, 'p2', 'cfg-1')).toEqual({ plan: 'a2', verdict: 'used' });
    expect(await ahead.take('b', 1, 'p1', 'cfg-1')).toEqual({ plan: 'b1', verdict: 'used' });
  });

  it('drops the oldest run beyond its capacity, and pages older than the age limit when another starts', async () => {
    let now = 0;
    const ahead = new PagesAhead<string>(1_000, 2, () => now);
    ahead.start('a', 1, 'p', async () => decided('a'));
    ahead.start('b', 1, 'p', async () => decided('b'));
    ahead.start('c', 1, 'p', async () => decided('c'));
    expect([ahead.has('a', 1, 'p'), ahead.has('b', 1, 'p'), ahead.has('c', 1, 'p')]).toEqual([false, true, true]);
    now = 5_000;
    ahead.start('d', 1, 'p', async () => decided('d'));
    expect([ahead.has('b', 1, 'p'), ahead.has('c', 1, 'p'), ahead.has('d', 1, 'p')]).toEqual([false, false, true]);
  });

  it('backs off after a page that read what the page before writes: 1, 2, 4... pages, up to 32, until one is used', async () => {
    const ahead = new PagesAhead<string>();
    const conflicting = () => decided('plan', reads({ shadows: ['s'] }));
    const started: number[] = [];
    /** The activity of `pageNo - 1`: starts `pageNo` ahead and journals writes that meet it or not. */
    const previousPage = (pageNo: number, meets: boolean) => {
      ahead.start('run', pageNo, `p${pageNo}`, async () => {
        started.push(pageNo);
        return conflicting();
      });
      ahead.previousJournaled('run', pageNo, writes({ shadows: meets ? ['s'] : [] }));
    };
    const verdicts: string[] = [];
    for (let pageNo = 1; pageNo <= 12; pageNo++) {
      previousPage(pageNo, pageNo <= 8);
      verdicts.push((await ahead.take('run', pageNo, `p${pageNo}`, 'cfg-1')).verdict);
    }
    // 1 conflicts: 2 skipped; 3 conflicts: 4, 5 skipped; 6 conflicts: 7-10 skipped; 11 is used, and so is 12
    expect(started).toEqual([1, 3, 6, 11, 12]);
    expect(verdicts).toEqual([
      'read what the previous page writes', 'none',
      'read what the previous page writes', 'none', 'none',
      'read what the previous page writes', 'none', 'none', 'none', 'none',
      'used', 'used',
    ]);
  });

  it('does not back off for other runs, and the back-off ends once a page decided ahead is used', async () => {
    const ahead = new PagesAhead<string>();
    ahead.start('a', 1, 'p1', async () => decided('a1', reads({ shadows: ['s'] })));
    ahead.previousJournaled('a', 1, writes({ shadows: ['s'] }));
    expect((await ahead.take('a', 1, 'p1', 'cfg-1')).verdict).toBe('read what the previous page writes');
    ahead.start('b', 2, 'p2', async () => decided('b2'));
    expect(ahead.has('b', 2, 'p2')).toBe(true);
    ahead.start('a', 2, 'p2', async () => decided('a2'));
    expect(ahead.has('a', 2, 'p2')).toBe(false);
  });
});
