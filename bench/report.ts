/** The bench's printed table (also the README's), from a BenchResult. */
import type { BenchResult, ScenarioResult } from './bench';

const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const num = (x: number | null | undefined) => (x == null ? '-' : x.toLocaleString('en-US'));

function rows(s: ScenarioResult): string[][] {
  if (!s.available) return [[s.title, s.note ?? 'not available', '', '', '', '', '', '', '', '']];
  const rss = s.peakRssMiB ?? {};
  const b = s.breakdown?.percent;
  const where = b ? `connector ${b.connector}% · store ${b.store}% · scripts ${b.scripts}% · engine ${b.engine}% · Temporal ${b.temporal}% · other ${b.other}%` : '-';
  return s.runs.map((r, i) => [
    i === 0 ? s.title : `   ${r.label}`,
    num(r.entries),
    r.wallSeconds.toFixed(1),
    num(r.accountsPerSecond),
    i === 0 ? num(rss.worker) : '',
    i === 0 ? num(rss.api) : '',
    i === 0 ? num(rss.ferretdb) : '',
    i === 0 ? num(rss.temporal) : '',
    i === 0 ? (s.countsOk ? 'yes' : 'NO') : '',
    i === 0 ? where : '',
  ]);
}

/** A Markdown table: one row per run, RSS in MiB, CPU breakdown in % of all CPU seconds used. */
export function table(r: BenchResult): string {
  const head = ['scenario', 'entries', 'wall s', 'accounts/s', 'worker MiB', 'API MiB', 'FerretDB MiB', 'Temporal MiB', 'exact counts', 'where the CPU goes'];
  const body = r.scenarios.flatMap(rows);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Scenario details that do not fit the table (crash recovery, provisioning writes). */
export function details(r: BenchResult): string {
  const out: string[] = [];
  for (const s of r.scenarios) {
    if (s.extra) out.push(`${s.title}: ${JSON.stringify(s.extra)}`);
    if (s.loadAverage) out.push(`  ${s.title.slice(0, 2)} load average (1 min) during the scenario: mean ${s.loadAverage.mean}, max ${s.loadAverage.max} (2 cores)`);
    if (s.cpuSeconds) out.push(`  CPU seconds by process: ${JSON.stringify(s.cpuSeconds)}; by component: ${JSON.stringify(s.breakdown?.cpuSeconds ?? null)}`);
    if (s.workerProfileMs) out.push(`  worker main thread (profile, ms): ${JSON.stringify(s.workerProfileMs)}`);
  }
  return out.join('\n');
}
