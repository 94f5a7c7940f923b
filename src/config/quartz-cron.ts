import type { CalendarSpec, DayOfWeek, Month } from '@temporalio/client';

/**
 * Quartz cron expressions (SPEC.md §3.8): `sec min hour day-of-month month day-of-week [year]`.
 *
 * Supported subset, per field: `*`, a value, `a-b`, `*\/n`, `a/n`, `a-b/n`, and comma lists of these; month and
 * day-of-week names (JAN-DEC, SUN-SAT; day-of-week numbers are Quartz's 1=SUN..7=SAT); `?` in exactly one of
 * day-of-month / day-of-week, as Quartz requires; ranges that wrap around (`FRI-MON`, `22-2`). Not supported
 * (rejected with a reason): `L`, `W`, `#`, `LW`, `C`, which a Temporal calendar cannot express. Everything supported translates exactly to a Temporal CalendarSpec,
 * which is what the scheduler uses; a 5-field standard cron is available when seconds are 0 and the year is free.
 */

export interface CronRange {
  start: number;
  end: number;
  step: number;
}
/** `'*'` = every value; otherwise the union of the ranges. */
export type CronField = '*' | CronRange[];

export interface QuartzCron {
  second: CronField;
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  /** 1 = Sunday ... 7 = Saturday (Quartz numbering) */
  dayOfWeek: CronField;
  year: CronField;
}

interface FieldSpec {
  name: keyof QuartzCron;
  min: number;
  max: number;
  names?: readonly string[]; // names[i] is value min + i
  question?: boolean;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'dayOfMonth', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'dayOfWeek', min: 1, max: 7, names: DAY_NAMES, question: true },
  // Quartz allows 1970-2099; Temporal's calendar specs refuse years before 2000.
  { name: 'year', min: 2000, max: 2099 },
];

export type ParseResult = { ok: true; cron: QuartzCron } | { ok: false; reason: string };

class CronSyntaxError extends Error {}

function parseValue(text: string, f: FieldSpec): number {
  const byName = f.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = byName >= 0 ? f.min + byName : /^\d+$/.test(text) ? Number(text) : NaN;
  if (/[LW#C]/i.test(text) && byName < 0) throw new CronSyntaxError(`${f.name}: "${text}" uses L, W, # or C, which are not supported`);
  if (Number.isNaN(n)) throw new CronSyntaxError(`${f.name}: "${text}" is not a number${f.names ? ' or a name' : ''}`);
  if (n < f.min || n > f.max) throw new CronSyntaxError(`${f.name}: ${n} is outside ${f.min}-${f.max}`);
  return n;
}

function parseItem(item: string, f: FieldSpec): CronRange[] {
  const [rangePart = '', stepPart, extra] = item.split('/');
  if (extra !== undefined) throw new CronSyntaxError(`${f.name}: "${item}" has more than one /`);
  let step = 1;
  if (stepPart !== undefined) {
    if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) throw new CronSyntaxError(`${f.name}: step "${stepPart}" must be a positive integer`);
    step = Number(stepPart);
  }
  if (rangePart === '*') return [{ start: f.min, end: f.max, step }];
  const bounds = rangePart.split('-');
  if (bounds.length > 2 || bounds.some((b) => b === '')) throw new CronSyntaxError(`${f.name}: "${item}" is not a valid range`);
  const start = parseValue(bounds[0]!, f);
  // Quartz reads `a/n` as "from a, every n, to the end of the field".
  const end = bounds.length === 2 ? parseValue(bounds[1]!, f) : stepPart !== undefined ? f.max : start;
  return end >= start ? [{ start, end, step }] : wrapAround(start, end, step, f);
}

/**
 * A range that wraps past the end of its field (`FRI-MON`, hours `22-2/2`), as Quartz reads it: from `start` to the
 * field's end, then on from its beginning to `end`, the step counted across the wrap. Two plain ranges.
 */
function wrapAround(start: number, end: number, step: number, f: FieldSpec): CronRange[] {
  const last = start + Math.floor((f.max - start) / step) * step;
  const next = last + step - (f.max - f.min + 1);
  return next <= end ? [{ start, end: f.max, step }, { start: next, end, step }] : [{ start, end: f.max, step }];
}

function parseField(text: string, f: FieldSpec): CronField | '?' {
  if (text === '?') {
    if (!f.question) throw new CronSyntaxError(`${f.name}: ? is only allowed in day-of-month and day-of-week`);
    return '?';
  }
  if (text === '*') return '*';
  return text.split(',').flatMap((item) => parseItem(item, f));
}

/** Parses a Quartz expression of the supported subset, or says why it is rejected. */
export function parseQuartzCron(expression: string): ParseResult {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6 && parts.length !== 7) {
    return { ok: false, reason: `expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got ${parts.length}` };
  }
  try {
    const fields = FIELDS.map((f, i) => (i < parts.length ? parseField(parts[i]!, f) : '*'));
    const dom = fields[3];
    const dow = fields[5];
    if ((dom === '?') === (dow === '?')) {
      return { ok: false, reason: 'exactly one of day-of-month and day-of-week must be ?' };
    }
    const [second, minute, hour, dayOfMonth, month, dayOfWeek, year] = fields.map((v) => (v === '?' ? '*' : v)) as CronField[];
    return { ok: true, cron: { second: second!, minute: minute!, hour: hour!, dayOfMonth: dayOfMonth!, month: month!, dayOfWeek: dayOfWeek!, year: year! } };
  } catch (e) {
    if (e instanceof CronSyntaxError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** The reason an expression is rejected, or null when it is valid and supported. */
export function quartzCronProblem(expression: string): string | null {
  const r = parseQuartzCron(expression);
  return r.ok ? null : r.reason;
}

const TEMPORAL_MONTHS: readonly Month[] = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const TEMPORAL_DAYS: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function calendarField<T>(field: CronField, toUnit: (n: number) => T): '*' | Array<{ start: T; end: T; step: number }> {
  if (field === '*') return '*';
  return field.map((r) => ({ start: toUnit(r.start), end: toUnit(r.end), step: r.step }));
}

/** The Temporal ScheduleSpec calendar equivalent to a parsed expression (the time zone goes on the ScheduleSpec). */
export function toCalendarSpec(cron: QuartzCron, comment?: string): CalendarSpec {
  const id = (n: number): number => n;
  return {
    second: calendarField(cron.second, id),
    minute: calendarField(cron.minute, id),
    hour: calendarField(cron.hour, id),
    dayOfMonth: calendarField(cron.dayOfMonth, id),
    month: calendarField(cron.month, (n) => TEMPORAL_MONTHS[n - 1]!),
    dayOfWeek: calendarField(cron.dayOfWeek, (n) => TEMPORAL_DAYS[n - 1]!),
    year: calendarField(cron.year, id),
    ...(comment ? { comment } : {}),
  };
}

function standardField(field: CronField, shift = 0): string {
  if (field === '*') return '*';
  return field
    .map(({ start, end, step }) => {
      const a = start + shift;
      const b = end + shift;
      const range = a === b ? `${a}` : `${a}-${b}`;
      return step === 1 ? range : `${range}/${step}`;
    })
    .join(',');
}

/**
 * The standard 5-field cron (`min hour dom month dow`, dow 0=Sunday) equivalent to a parsed expression, or null
 * when it cannot be expressed that way (seconds other than 0, or a year restriction).
 */
export function toStandardCron(cron: QuartzCron): string | null {
  const secondIsZero = cron.second !== '*' && cron.second.length === 1 && cron.second[0]!.start === 0 && cron.second[0]!.end === 0;
  if (!secondIsZero || cron.year !== '*') return null;
  return [standardField(cron.minute), standardField(cron.hour), standardField(cron.dayOfMonth), standardField(cron.month), standardField(cron.dayOfWeek, -1)].join(' ');
}
