import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import chineseDays from 'chinese-days';
import { isAppError } from '../errors.js';
import { makeWorkCalendar } from './calendar.js';
import { chineseDaysEntries } from './calendar.seed.js';
import { addWorkingTime, elapsedFraction, workingMsBetween, type TimeUnit } from './working-time.js';

// The real 2026 calendar (chinese-days data), Asia/Shanghai, work periods 08:30–12:00 and
// 13:30–17:30 (7.5 h a day), 1 工作日 = 8 工作时. Legend: ■ workday, · day off, ★ 调休 make-up workday.
const cal = makeWorkCalendar({ overrides: chineseDaysEntries().map((e) => [e.date, e] as const) });
/** Beijing wall time → instant, independent of the process TZ (pinned to UTC by vitest). */
const at = (local: string) => new Date(`${local}+08:00`);
const H = 3_600_000;
const add = (start: string, amount: number, unit: TimeUnit) => addWorkingTime(at(start), amount, unit, cal);

describe('work_hours around holidays', () => {
  //        Mo  Tu  We  Th  Fr  Sa  Su
  //  Mar   30■ 31■  1■  2■  3■  4·  5·     清明 4-4 … 4-6
  //  Apr    6·  7■  8■  9■ 10■ 11· 12·
  it('4 工作时 reported Friday 16:00 before 清明 falls due Tuesday 11:00', () => {
    // Fri 16:00–17:30 = 1.5 h; Sat–Mon off; Tue 08:30 + 2.5 h = 11:00.
    expect(add('2026-04-03T16:00', 4, 'work_hours')).toEqual(at('2026-04-07T11:00'));
  });

  //        Mo  Tu  We  Th  Fr  Sa  Su
  //  Sep   21■ 22■ 23■ 24■ 25· 26· 27·     中秋 9-25 … 9-27
  //        28■ 29■ 30■  1·  2·  3·  4·     国庆 10-1 … 10-7
  //  Oct    5·  6·  7·  8■  9■ 10★ 11·     10-10 (Sat) 补班
  it('4 工作时 reported Thursday 16:00 before 中秋 falls due Monday 11:00', () => {
    expect(add('2026-09-24T16:00', 4, 'work_hours')).toEqual(at('2026-09-28T11:00'));
  });

  it('4 工作时 reported Wednesday 16:00 before 国庆 skips the whole week', () => {
    expect(add('2026-09-30T16:00', 4, 'work_hours')).toEqual(at('2026-10-08T11:00'));
  });

  it('counts the Saturday make-up workday 10-10 and skips the Sunday after it', () => {
    expect(add('2026-10-10T09:00', 4, 'work_hours')).toEqual(at('2026-10-10T14:30'));
    expect(add('2026-10-10T17:00', 1, 'work_hours')).toEqual(at('2026-10-12T09:00'));
  });

  //        Mo  Tu  We  Th  Fr  Sa  Su
  //  Feb    9■ 10■ 11■ 12■ 13■ 14★ 15·     2-14 (Sat) 补班; 春节 2-15 … 2-23
  //        16· 17· 18· 19· 20· 21· 22·
  //        23· 24■ 25■ 26■ 27■ 28★  1·     2-28 (Sat) 补班
  it('runs on Saturday 2026-02-14, a make-up workday', () => {
    expect(add('2026-02-13T16:00', 4, 'work_hours')).toEqual(at('2026-02-14T11:00'));
  });

  it('jumps the nine days of 春节 from the make-up Saturday', () => {
    // Sat 16:00–17:30 = 1.5 h; 2-15 … 2-23 off; Tue 2-24: 3.5 h morning + 3 h afternoon.
    expect(add('2026-02-14T16:00', 8, 'work_hours')).toEqual(at('2026-02-24T16:30'));
  });
});

describe('work_hours: intake outside working hours starts at the next period', () => {
  //        Mo  Tu  We  Th  Fr  Sa  Su
  //  Mar    2■  3■  4■  5■  6■  7·  8·     an ordinary week
  //         9■ 10■ 11■ 12■ 13■ 14· 15·
  it.each([
    ['night', '2026-03-03T22:00', 2, '2026-03-04T10:30'],
    ['before opening', '2026-03-03T07:00', 2, '2026-03-03T10:30'],
    ['lunch break', '2026-03-03T12:30', 1, '2026-03-03T14:30'],
    ['at 12:00 sharp', '2026-03-03T12:00', 1, '2026-03-03T14:30'],
    ['after closing', '2026-03-03T17:30', 1, '2026-03-04T09:30'],
    ['Saturday', '2026-03-07T10:00', 1, '2026-03-09T09:30'],
    ['Friday evening', '2026-03-06T19:00', 4, '2026-03-09T14:00'],
  ])('%s: %s + %i 工作时 = %s', (_what, start, hours, due) => {
    expect(add(start, hours, 'work_hours')).toEqual(at(due));
  });

  it('a deadline on a period end stays there instead of jumping to the next period', () => {
    expect(add('2026-03-03T08:30', 3.5, 'work_hours')).toEqual(at('2026-03-03T12:00'));
    expect(add('2026-03-03T13:30', 4, 'work_hours')).toEqual(at('2026-03-03T17:30'));
  });
});

describe('amounts: zero, fractions, large', () => {
  it('zero is the start itself, in every unit, even at night', () => {
    for (const unit of ['work_hours', 'work_days', 'calendar_days', 'hours', 'minutes'] as const) {
      expect(add('2026-03-07T23:15', 0, unit)).toEqual(at('2026-03-07T23:15'));
    }
  });

  it('0.5 工作时 straddles the lunch break; 0.25 工作日 = 2 工作时', () => {
    expect(add('2026-03-03T11:45', 0.5, 'work_hours')).toEqual(at('2026-03-03T13:45'));
    expect(add('2026-03-03T09:00', 0.25, 'work_days')).toEqual(at('2026-03-03T11:00'));
  });

  it('1 工作日 = 8 工作时: with 7.5 h periods it runs 30 min into the next workday', () => {
    // Tue 10:00–12:00 + 13:30–17:30 = 6 h; Wed 08:30 + 2 h.
    expect(add('2026-03-03T10:00', 1, 'work_days')).toEqual(at('2026-03-04T10:30'));
  });

  //  Mar  2 … 31: 22 workdays; Apr: 21 (清明 4-6 off); May: 19 (5-1 … 5-5 off, 5-9 Sat ★)
  //  Jun   1■ (63)  2■ (64)
  it('60 工作日 = 480 工作时 = 64 days of 7.5 h, through 清明 and 劳动节', () => {
    expect(add('2026-03-02T08:30', 60, 'work_days')).toEqual(at('2026-06-02T17:30'));
  });

  it('60 工作日 on a calendar whose periods make 8 h is exactly 60 workdays', () => {
    const eightHours = makeWorkCalendar({ overrides: cal.overrides, periods: [{ start: 510, end: 720 }, { start: 810, end: 1080 }] });
    // Mar 22 + Apr 21 = 43; May 6,7,8, 9★ → 47; 11–15 → 52; 18–22 → 57; 25, 26, 27 → 60.
    expect(addWorkingTime(at('2026-03-02T08:30'), 60, 'work_days', eightHours)).toEqual(at('2026-05-27T18:00'));
  });
});

describe('calendar_days, hours and minutes ignore the working calendar', () => {
  it('7 自然日 over 国庆 keeps the local time; 1.5 days adds 36 h', () => {
    expect(add('2026-09-30T16:00', 7, 'calendar_days')).toEqual(at('2026-10-07T16:00'));
    expect(add('2026-03-03T10:00', 1.5, 'calendar_days')).toEqual(at('2026-03-04T22:00'));
  });

  it('hours and minutes are elapsed time', () => {
    expect(add('2026-04-03T16:00', 4, 'hours')).toEqual(at('2026-04-03T20:00'));
    expect(add('2026-04-03T16:00', 90, 'minutes')).toEqual(at('2026-04-03T17:30'));
  });

  it('a natural day across a DST change is 23 h of elapsed time (America/New_York, 2026-03-08)', () => {
    const ny = makeWorkCalendar({ timeZone: 'America/New_York' });
    const start = new Date('2026-03-07T12:00:00-05:00');
    expect(addWorkingTime(start, 1, 'calendar_days', ny)).toEqual(new Date('2026-03-08T12:00:00-04:00'));
    expect(addWorkingTime(start, 1, 'hours', ny).getTime() - start.getTime()).toBe(H);
  });
});

describe('working periods follow the local wall clock of the zone', () => {
  it('a 01:00–04:00 period on the New York spring-forward day holds only 2 h', () => {
    const ny = makeWorkCalendar({ timeZone: 'America/New_York', periods: [{ start: 60, end: 240 }], overrides: [['2026-03-08', { isWorkday: true, name: null }]] });
    expect(workingMsBetween(new Date('2026-03-08T00:00:00-05:00'), new Date('2026-03-09T00:00:00-04:00'), ny)).toBe(2 * H);
  });

  it('does not depend on the process time zone', () => {
    const before = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz;
        expect(add('2026-04-03T16:00', 4, 'work_hours')).toEqual(at('2026-04-07T11:00'));
      }
    } finally {
      process.env.TZ = before;
    }
  });
});

describe('workingMsBetween and elapsedFraction', () => {
  it('counts only working time, never negative', () => {
    expect(workingMsBetween(at('2026-04-03T16:00'), at('2026-04-07T11:00'), cal)).toBe(4 * H);
    expect(workingMsBetween(at('2026-03-02T00:00'), at('2026-03-09T00:00'), cal)).toBe(5 * 7.5 * H);
    expect(workingMsBetween(at('2026-03-07T00:00'), at('2026-03-08T23:59'), cal)).toBe(0);
    expect(workingMsBetween(at('2026-03-04T00:00'), at('2026-03-03T00:00'), cal)).toBe(0);
  });

  it('the fraction stands still while no working time passes', () => {
    const [start, due] = [at('2026-04-03T16:00'), at('2026-04-07T11:00')];
    expect(elapsedFraction(start, due, at('2026-04-03T17:30'), 'work_hours', cal)).toBe(0.375);
    expect(elapsedFraction(start, due, at('2026-04-05T12:00'), 'work_hours', cal)).toBe(0.375);
    expect(elapsedFraction(start, due, at('2026-04-07T10:30'), 'work_hours', cal)).toBe(0.875);
    expect(elapsedFraction(start, due, at('2026-04-07T13:30'), 'work_hours', cal)).toBe(1.25);
    expect(elapsedFraction(start, at('2026-04-04T16:00'), at('2026-04-04T04:00'), 'hours', cal)).toBe(0.5);
  });
});

// An oracle that shares nothing with the code under test: it steps minute by minute over a
// calendar built from its own reading of the inputs: the work periods parsed from the text
// "08:30–12:00 13:30–17:30", workdays from the chinese-days package's own isWorkday (not the
// overrides map), and Beijing time as the fixed offset UTC+8 (China has had no DST since 1991),
// not the zoned-time module.
describe('property: agrees with a minute-by-minute oracle', () => {
  const MIN = 60_000;
  const PERIODS = '08:30–12:00 13:30–17:30'.split(' ').map((p) => p.split('–').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))));
  const workdayCache = new Map<number, boolean>();
  /** Whether the Beijing-local day with this index (days since 1970-01-01) is a workday. */
  const workday = (day: number) => {
    if (!workdayCache.has(day)) workdayCache.set(day, chineseDays.isWorkday(new Date(day * 86_400_000).toISOString().slice(0, 10)));
    return workdayCache.get(day) ?? false;
  };
  /** Whether the minute starting at `ms` (a whole UTC minute) is working time. */
  const working = (ms: number) => {
    const local = ms + 8 * H;
    const minuteOfDay = Math.floor((local % 86_400_000) / MIN);
    return workday(Math.floor(local / 86_400_000)) && PERIODS.some(([from, to]) => minuteOfDay >= from && minuteOfDay < to);
  };
  /** The end of the minute in which the `minutes`-th working minute after `start` is completed. */
  const oracleDue = (start: number, minutes: number) => {
    let t = start;
    for (let worked = 0; ; t += MIN) if (working(t) && ++worked === minutes) return t + MIN;
  };
  const oracleBetween = (from: number, to: number) => {
    let worked = 0;
    for (let t = from; t < to; t += MIN) if (working(t)) worked += MIN;
    return worked;
  };
  // Whole minutes through 2026, including the holiday weeks (春节, 国庆) and their 调休 Saturdays.
  const minuteIn2026 = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z') / MIN, max: Date.parse('2026-12-10T00:00:00Z') / MIN }).map((m) => m * MIN);

  it('addWorkingTime: the deadline of 15 min … 100 工作时 is where the oracle completes the amount', () => {
    fc.assert(fc.property(minuteIn2026, fc.integer({ min: 1, max: 400 }), (start, quarterHours) => {
      const due = addWorkingTime(new Date(start), quarterHours / 4, 'work_hours', cal);
      expect(due.getTime()).toBe(oracleDue(start, quarterHours * 15));
    }), { numRuns: 200 });
  });

  it('workingMsBetween counts what the oracle counts, over spans of up to three weeks', () => {
    fc.assert(fc.property(minuteIn2026, fc.integer({ min: -60, max: 21 * 1440 }), (from, minutes) => {
      const to = from + minutes * MIN;
      expect(workingMsBetween(new Date(from), new Date(to), cal)).toBe(oracleBetween(from, to));
    }), { numRuns: 200 });
  });

  it('the oracle itself reads the calendar drawn above', () => {
    // Thursday 2026-09-24 16:00 + 4 工作时 → Monday 09-28 11:00 (中秋 9-25 … 9-27 off).
    expect(new Date(oracleDue(at('2026-09-24T16:00').getTime(), 240))).toEqual(at('2026-09-28T11:00'));
    // Saturday 10-10 is a 调休 workday: 08:30–12:00 and 13:30–17:30 count.
    expect(oracleBetween(at('2026-10-10T00:00').getTime(), at('2026-10-11T00:00').getTime())).toBe(7.5 * H);
  });
});

describe('validation', () => {
  const fails = (fn: () => unknown, field: string) => {
    try {
      fn();
    } catch (err) {
      expect(isAppError(err) && err.code === 'validation_failed' && (err.details as { field: string }).field).toBe(field);
      return;
    }
    throw new Error('expected a validation_failed error');
  };

  it('names the offending field', () => {
    fails(() => addWorkingTime(new Date('nope'), 1, 'hours', cal), 'start');
    fails(() => addWorkingTime(at('2026-03-03T10:00'), -1, 'hours', cal), 'amount');
    fails(() => addWorkingTime(at('2026-03-03T10:00'), Number.NaN, 'work_hours', cal), 'amount');
    fails(() => addWorkingTime(at('2026-03-03T10:00'), 1, 'fortnights' as TimeUnit, cal), 'unit');
  });

  it('refuses a limit beyond the scan guard', () => {
    const never = makeWorkCalendar({ overrides: [] });
    fails(() => addWorkingTime(at('2026-03-03T10:00'), 1_000_000, 'work_days', never), 'amount');
    fails(() => addWorkingTime(at('2026-03-03T10:00'), 80_000, 'work_hours', never), 'amount');
  });
});
