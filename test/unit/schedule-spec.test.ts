import { scheduleSpecOf } from '../../src/temporal/schedules';

describe('execution plans as Temporal schedule specs', () => {
  it('MANUAL and no plan have no schedule', () => {
    expect(scheduleSpecOf(undefined)).toBeNull();
    expect(scheduleSpecOf({ scheduleType: 'MANUAL' })).toBeNull();
  });

  it('INTERVAL becomes an interval in milliseconds', () => {
    expect(scheduleSpecOf({ scheduleType: 'INTERVAL', interval: 2, intervalUnit: 'HOURS' })).toEqual({ spec: { intervals: [{ every: 7_200_000 }], timezone: 'UTC' }, once: false });
  });

  it('ONCE fires on the wall-clock time of its time zone, once', () => {
    const r = scheduleSpecOf({ scheduleType: 'ONCE', fireTime: '2027-03-01T08:30:15Z', timeZone: 'Europe/Paris' });
    expect(r).toEqual({
      spec: { calendars: [{ year: 2027, month: 'MARCH', dayOfMonth: 1, hour: 9, minute: 30, second: 15 }], timezone: 'Europe/Paris' },
      once: true,
    });
  });

  it('CRON keeps the Quartz seconds field and day-of-week numbering (1 = Sunday)', () => {
    const r = scheduleSpecOf({ scheduleType: 'CRON', cron: '0 30 2 ? * 2-6 *', timeZone: 'Europe/Paris' })!;
    const cal = r.spec.calendars![0]!;
    expect(cal.second).toEqual([{ start: 0, end: 0, step: 1 }]);
    expect(cal.minute).toEqual([{ start: 30, end: 30, step: 1 }]);
    expect(cal.hour).toEqual([{ start: 2, end: 2, step: 1 }]);
    expect(cal.dayOfWeek).toEqual([{ start: 'MONDAY', end: 'FRIDAY', step: 1 }]);
    expect(r.spec.timezone).toBe('Europe/Paris');
  });

  it('an invalid cron is a validation error', () => {
    expect(() => scheduleSpecOf({ scheduleType: 'CRON', cron: '0 0 L * ?' })).toThrow(/Invalid cron/);
  });
});
