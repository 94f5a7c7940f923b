/** The service's REST API as the bench uses it: dataset import, launch, progress polling. */

export interface RunProgress {
  id: string;
  taskType: string;
  progressStatus: string;
  outcomeStatus: string | null;
  processingTimeMillis: number;
  numberOfEntriesToProcess: number;
  numberOfProcessedEntries: number;
  numberOfErrors: number;
  statistics: { situations: Record<string, number>; actions: Record<string, number>; skipped: number; pagesRetried?: number; pagesDecidedAhead?: number };
  errorDetails?: Array<{ label: string; description: string }>;
}

export type TaskKind = 'sync-tasks' | 'prov-tasks';

export class Rest {
  constructor(private readonly url: () => string) {}

  async call(method: string, path: string, body?: string, contentType?: string): Promise<{ status: number; text: string }> {
    const res = await fetch(this.url() + path, { method, body, headers: contentType ? { 'content-type': contentType } : {} });
    return { status: res.status, text: await res.text() };
  }

  async importDataset(tenant: string, xml: string): Promise<void> {
    const r = await this.call('POST', `/${tenant}/api/sync/conf/dataset/import`, xml, 'application/xml');
    if (r.status !== 200) throw new Error(`dataset import into ${tenant} failed: ${r.status} ${r.text.slice(0, 2000)}`);
  }

  /**
   * Launches a task. A run shows COMPLETED once its last activity recorded it, a moment before its workflow closes:
   * a launch of the same definition in that moment is refused (409), so it is tried again for a while.
   */
  async launch(tenant: string, kind: TaskKind, definitionId: string): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const r = await this.call('POST', `/${tenant}/api/sync/${kind}/${definitionId}/instances`);
      if (r.status === 200) return `/${tenant}/api/sync/${kind}/${definitionId}/instances/${r.text}`;
      if (r.status !== 409 || Date.now() > deadline) throw new Error(`launch of ${definitionId} failed: ${r.status} ${r.text}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }

  async progress(path: string): Promise<RunProgress | null> {
    try {
      const r = await this.call('GET', path);
      return r.status === 200 ? (JSON.parse(r.text) as RunProgress) : null;
    } catch {
      return null; // the API is restarting or busy: poll again
    }
  }

  /** Polls until `until` holds (default: COMPLETED); `onPoll` sees every progress read. */
  async waitFor(path: string, opts: { pollMs: number; timeoutMs: number; until?: (p: RunProgress) => boolean; onPoll?: (p: RunProgress) => void }): Promise<RunProgress> {
    const until = opts.until ?? ((p: RunProgress) => p.progressStatus === 'COMPLETED');
    const deadline = Date.now() + opts.timeoutMs;
    let last: RunProgress | null = null;
    while (Date.now() < deadline) {
      const p = await this.progress(path);
      if (p) {
        last = p;
        opts.onPoll?.(p);
        if (until(p)) return p;
      }
      await new Promise((r) => setTimeout(r, opts.pollMs));
    }
    throw new Error(`run ${path} not done after ${opts.timeoutMs} ms; last progress ${JSON.stringify(last)}`);
  }
}
