import { parseQuartzCron, quartzCronProblem, toCalendarSpec, toStandardCron } from '../../../src/config/quartz-cron';

function parsed(expr: string) {
  const r = parseQuartzCron(expr);
  if (!r.ok) throw new Error(r.reason);
  return r.cron;
}

describe('Quartz cron', () => {
  it.each([
    '0 */5 * * * ? *',
    '0 */5 * * * ?',
    '0 30 2 ? * MON-FRI *',
    '15,45 0 8-18/2 1,15 JAN-JUN ? 2030-2035',
    '0 0 12 ? * 1,7',
    '0 0 12 ? * FRI-MON',
  ])('accepts %s', (expr) => {
    expect(quartzCronProblem(expr)).toBeNull();
  });

  it.each([
    ['0 0 12 * *', /expected 6 or 7 fields/],
    ['0 0 12 * * *', /exactly one of day-of-month and day-of-week must be \?/],
    ['0 0 12 ? * ?', /exactly one of day-of-month and day-of-week must be \?/],
    ['60 0 12 ? * *', /second: 60 is outside 0-59/],
    ['0 0 24 ? * *', /hour: 24 is outside 0-23/],
    ['0 0 12 L * ?', /L, W, # or C/],
    ['0 0 12 ? * 6#3', /not a number|L, W, # or C/],
    ['0 0 12 15W * ?', /L, W, # or C/],
    ['0 0 ? * * *', /\? is only allowed/],
    ['0 */0 * * * ?', /step "0" must be a positive integer/],
    ['0 0 12 ? * * 1969', /year: 1969 is outside 2000-2099/],
    ['0 0 1 ? * MON 1999', /year: 1999 is outside 2000-2099/],
    ['a b c d e f', /not a number/],
  ])('rejects %s with a reason', (expr, reason) => {
    expect(quartzCronProblem(expr)).toMatch(reason);
  });

  it('translates to a Temporal calendar spec (Quartz day 1 = Sunday, a/n runs to the end of the field)', () => {
    expect(toCalendarSpec(parsed('0 30 2 ? * MON-FRI *'), 'nightly')).toEqual({
      second: [{ start: 0, end: 0, step: 1 }],
      minute: [{ start: 30, end: 30, step: 1 }],
      hour: [{ start: 2, end: 2, step: 1 }],
      dayOfMonth: '*',
      month: '*',
      dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
      year: '*',
      comment: 'nightly',
    });
    expect(toCalendarSpec(parsed('0 10/20 * 1 FEB,DEC ? 2031')).minute).toEqual([{ start: 10, end: 59, step: 20 }]);
    expect(toCalendarSpec(parsed('0 10/20 * 1 FEB,DEC ? 2031')).month).toEqual([
      { start: 'FEBRUARY', end: 'FEBRUARY', step: 1 },
      { start: 'DECEMBER', end: 'DECEMBER', step: 1 },
    ]);
  });

  it('reads a range that wraps around as Quartz does: to the end of the field, then on from its beginning, the step counted across', () => {
    const values = (expr: string, field: 'second' | 'hour' | 'month' | 'dayOfWeek', min: number, max: number) => {
      const f = parsed(expr)[field];
      if (f === '*') return 'every';
      return Array.from({ length: max - min + 1 }, (_, i) => min + i).filter((v) => f.some((r) => v >= r.start && v <= r.end && (v - r.start) % r.step === 0));
    };
    expect(values('0 0 12 ? * FRI-MON', 'dayOfWeek', 1, 7)).toEqual([1, 2, 6, 7]); // SUN, MON, FRI, SAT
    expect(values('0 0 22-2/2 * * ?', 'hour', 0, 23)).toEqual([0, 2, 22]);
    expect(values('0 0 23-1/2 * * ?', 'hour', 0, 23)).toEqual([1, 23]);
    expect(values('50-10/15 0 0 * * ?', 'second', 0, 59)).toEqual([5, 50]);
    expect(values('0 0 0 1 NOV-FEB ?', 'month', 1, 12)).toEqual([1, 2, 11, 12]);
    expect(values('0 0 20-3/10 * * ?', 'hour', 0, 23)).toEqual([20]); // 20, then 30 - 24 = 6 > 3
    expect(toCalendarSpec(parsed('0 0 12 ? * FRI-MON')).dayOfWeek).toEqual([
      { start: 'FRIDAY', end: 'SATURDAY', step: 1 },
      { start: 'SUNDAY', end: 'MONDAY', step: 1 },
    ]);
  });

  it('translates to a standard 5-field cron when seconds are 0 and the year is free', () => {
    expect(toStandardCron(parsed('0 */5 * * * ? *'))).toBe('0-59/5 * * * *');
    expect(toStandardCron(parsed('0 30 2 ? * MON-FRI'))).toBe('30 2 * * 1-5');
    expect(toStandardCron(parsed('0 0 12 ? * 1,7'))).toBe('0 12 * * 0,6');
    expect(toStandardCron(parsed('30 0 12 ? * *'))).toBeNull();
    expect(toStandardCron(parsed('0 0 12 ? * * 2030'))).toBeNull();
  });
});
