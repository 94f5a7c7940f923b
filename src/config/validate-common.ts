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

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return true;
  } catch {
    return false;
  }
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
  if (plan.fireTime !== undefined && rule.allowed.includes('fireTime') && (!ISO_DATE_TIME.test(plan.fireTime) || Number.isNaN(Date.parse(plan.fireTime)))) {
    issues.push({ path: childPath(path, 'fireTime'), reason: 'must be an ISO-8601 date-time, e.g. 2030-01-31T08:00:00Z' });
  }
  if (plan.cron !== undefined && rule.allowed.includes('cron')) {
    const problem = quartzCronProblem(plan.cron);
    if (problem) issues.push({ path: childPath(path, 'cron'), reason: `invalid Quartz cron expression: ${problem}` });
  }
  if (plan.timeZone !== undefined && !isValidTimeZone(plan.timeZone)) {
    issues.push({ path: childPath(path, 'timeZone'), reason: `unknown IANA time zone ${JSON.stringify(plan.timeZone)}` });
  }
  return issues;
}
