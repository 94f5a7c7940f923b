import type { ValidationIssue } from '../errors';
import { checkSyntax } from '../scripting/syntax';
import { quartzCronProblem } from './quartz-cron';
import { childPath } from './issue-paths';
import type { ExecutionPlan } from './schemas';

/** A compute rule's syntax error, with where it is in the script (SPEC.md §3.2: 400 with line and column). */
export interface ScriptIssue extends ValidationIssue {
  line: number;
  column: number;
}

/**
 * Every compute rule (`script`) and regex (`regex`) anywhere in a parsed resource must compile. The schemas only
 * allow these property names in compute rules and matching strategies, so a generic walk finds them all.
 */
export function scriptAndRegexIssues(value: unknown, path = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const walk = (v: unknown, p: string): void => {
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, childPath(p, i)));
    if (typeof v !== 'object' || v === null) return;
    for (const [key, child] of Object.entries(v as Record<string, unknown>)) {
      const cp = childPath(p, key);
      if (key === 'script' && typeof child === 'string') {
        const err = checkSyntax(child);
        if (err) issues.push({ path: cp, reason: `syntax error at line ${err.line}, column ${err.column}: ${err.message}`, line: err.line, column: err.column } as ScriptIssue);
      } else if (key === 'regex' && typeof child === 'string') {
        const problem = regexProblem(child);
        if (problem) issues.push({ path: cp, reason: `invalid regular expression: ${problem}` });
      } else walk(child, cp);
    }
  };
  walk(value, path);
  return issues;
}

function regexProblem(source: string): string | null {
  try {
    new RegExp(source);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Exactly one (or, with `atMostOne`, at most one) of the named properties is set; empty lists count as unset. */
export function exclusiveIssue(obj: Record<string, unknown>, keys: readonly string[], path: string, reason: string, atMostOne = false): ValidationIssue[] {
  const set = keys.filter((k) => {
    const v = obj[k];
    return v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  });
  if (set.length > 1 || (!atMostOne && set.length === 0)) return [{ path, reason }];
  return [];
}

/** A path relative to a tenant directory that stays inside it, judged lexically (no file system access). */
export function relativePathProblem(p: string): string | null {
  if (p.includes('\0')) return 'must not contain NUL';
  if (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)) return 'must be relative to the tenant data directory';
  if (p.split(/[\\/]/).some((seg) => seg === '..')) return 'must not contain .. (it would leave the tenant data directory)';
  return null;
}

/**
 * The IANA name as the time zone database spells it, or null when there is no such zone. ICU accepts any letter case
 * (`utc`, `europe/paris`); Temporal's server (Go's time package) does not, so only the exact spelling is valid.
 */
export function canonicalTimeZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

function timeZoneProblem(tz: string): string | null {
  const canonical = canonicalTimeZone(tz);
  if (canonical === null) return `unknown IANA time zone ${JSON.stringify(tz)}`;
  if (canonical !== tz && canonical.toLowerCase() === tz.toLowerCase()) return `time zone names are case-sensitive: write ${JSON.stringify(canonical)}`;
  return null;
}

/** Years a schedule may fire in: Temporal's calendar specs accept 2000-2100, Quartz up to 2099. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2099;

/** Go durations end at about 292 years; an interval longer than a century is a typo, not a schedule. */
const MAX_INTERVAL: Record<NonNullable<ExecutionPlan['intervalUnit']>, number> = { MINUTES: 52_560_000, HOURS: 876_000, DAYS: 36_500 };

function fireTimeProblem(fireTime: string): string | null {
  const m = ISO_DATE_TIME.exec(fireTime);
  if (!m || Number.isNaN(Date.parse(fireTime))) return 'must be an ISO-8601 date-time, e.g. 2030-01-31T08:00:00Z';
  const [year, month, day] = fireTime.slice(0, 10).split('-').map(Number) as [number, number, number];
  // Date.parse rolls 2030-02-30 over to March 2; a user who wrote it made a mistake.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || month < 1 || month > 12) return `${fireTime.slice(0, 10)} is not a date of the calendar`;
  if (year < FIRST_YEAR || year > LAST_YEAR) return `must fall in the years ${FIRST_YEAR}-${LAST_YEAR}`;
  return null;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** SPEC.md §3.8: which fields each scheduleType needs and forbids. */
const PLAN_FIELDS: Record<ExecutionPlan['scheduleType'], { required: Array<keyof ExecutionPlan>; allowed: Array<keyof ExecutionPlan> }> = {
  MANUAL: { required: [], allowed: [] },
  ONCE: { required: ['fireTime'], allowed: ['fireTime'] },
  CRON: { required: ['cron'], allowed: ['cron'] },
  INTERVAL: { required: ['interval', 'intervalUnit'], allowed: ['interval', 'intervalUnit'] },
};
const PLAN_SPECIFIC: Array<keyof ExecutionPlan> = ['fireTime', 'cron', 'interval', 'intervalUnit'];

export function executionPlanIssues(plan: ExecutionPlan, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const rule = PLAN_FIELDS[plan.scheduleType];
  for (const key of rule.required) {
    if (plan[key] === undefined) issues.push({ path: childPath(path, key), reason: `required when scheduleType is ${plan.scheduleType}` });
  }
  for (const key of PLAN_SPECIFIC) {
    if (plan[key] !== undefined && !rule.allowed.includes(key)) issues.push({ path: childPath(path, key), reason: `not allowed when scheduleType is ${plan.scheduleType}` });
  }
  const fireTime = plan.fireTime !== undefined && rule.allowed.includes('fireTime') ? fireTimeProblem(plan.fireTime) : null;
  if (fireTime) issues.push({ path: childPath(path, 'fireTime'), reason: fireTime });
  if (plan.interval !== undefined && plan.intervalUnit !== undefined && plan.interval > MAX_INTERVAL[plan.intervalUnit]) {
    issues.push({ path: childPath(path, 'interval'), reason: `at most ${MAX_INTERVAL[plan.intervalUnit]} ${plan.intervalUnit} (100 years)` });
  }
  if (plan.cron !== undefined && rule.allowed.includes('cron')) {
    const problem = quartzCronProblem(plan.cron);
    if (problem) issues.push({ path: childPath(path, 'cron'), reason: `invalid Quartz cron expression: ${problem}` });
  }
  const timeZone = plan.timeZone === undefined ? null : timeZoneProblem(plan.timeZone);
  if (timeZone) issues.push({ path: childPath(path, 'timeZone'), reason: timeZone });
  return issues;
}
