import type { TestApi } from './api';

export interface Progress {
  id: string;
  progressStatus: string;
  outcomeStatus: string | null;
  numberOfEntriesToProcess: number;
  numberOfProcessedEntries: number;
  numberOfErrors: number;
  progressPercentage: number;
  statistics: { situations: Record<string, number>; actions: Record<string, number>; skipped: number; pagesRetried: number; pagesDecidedAhead: number };
  errorDetails?: Array<{ errorId: string; label: string; description: string; properties: Record<string, unknown> }>;
  [k: string]: unknown;
}

/** Polls a run's progress until `done` says so (or the deadline passes). */
export async function waitForRun(
  api: TestApi,
  path: string,
  done: (p: Progress) => boolean = (p) => p.progressStatus === 'COMPLETED',
  timeoutMs = 90_000,
): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  let last: Progress | string | undefined;
  while (Date.now() < deadline) {
    const r = await api.req('GET', path);
    if (r.status !== 200) last = `${r.status} ${r.text}`;
    else {
      last = r.json as Progress;
      if (done(last)) return last;
    }
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`run at ${path} not done after ${timeoutMs} ms; last progress: ${JSON.stringify(last)}`);
}

/** Launches a task and returns the instance id and its monitoring path. */
export async function launch(api: TestApi, tenant: string, kind: 'sync-tasks' | 'prov-tasks', definitionId: string): Promise<{ id: string; path: string }> {
  const r = await api.req('POST', `/${tenant}/api/sync/${kind}/${definitionId}/instances`);
  if (r.status !== 200) throw new Error(`launch of ${definitionId} failed: ${r.status} ${r.text}`);
  return { id: r.text, path: `/${tenant}/api/sync/${kind}/${definitionId}/instances/${r.text}` };
}
