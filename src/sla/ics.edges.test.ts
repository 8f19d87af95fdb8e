import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { addDays } from '../time/local-date.js';
import { parseHolidayIcs } from './ics.js';

const TZ = 'Asia/Shanghai';
const cal = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');
const day = (date: string, ...lines: string[]) => [`DTSTART;VALUE=DATE:${date}`, ...lines];
const entries = (text: string) => parseHolidayIcs(text, TZ).entries;
const refusal = (text: string) => {
  try {
    parseHolidayIcs(text, TZ);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'import_failed' });
    return err as AppError;
  }
  throw new Error('expected a refusal');
};

describe('parseHolidayIcs: lines and text (RFC 5545)', () => {
  it('reads CR-only line ends, folded lines (space or tab) and escaped text', () => {
    const text = cal(day('20270101', 'SUMMARY:元旦(休)'), day('20271001', 'SUMMARY:国庆', '\t节(休)'), day('20271002', 'SUMMARY:国庆节\\, 中秋节(休)')).replaceAll('\r\n', '\r');
    expect(entries(text)).toEqual([
      { date: '2027-01-01', isWorkday: false, name: '元旦' },
      { date: '2027-10-01', isWorkday: false, name: '国庆节' },
      { date: '2027-10-02', isWorkday: false, name: '国庆节, 中秋节' },
    ]);
    expect(entries(cal(day('20270103', 'SUMMARY:元旦\\n(休)')))).toEqual([{ date: '2027-01-03', isWorkday: false, name: '元旦' }]);
  });

  it('ignores blank and colon-less lines, blanks at the ends of lines (a leading one folds), lower-case keywords and nested components', () => {
    const text = [
      '  begin:vcalendar  ', '', 'no colon here',
      'BEGIN:VEVENT  ', 'DTSTART;VALUE=DATE:20270501', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'END:VALARM', 'SUMMARY:劳动节(休)', 'END:VEVENT\t',
      'END:VCALENDAR',
    ].join('\n');
    expect(entries(text)).toEqual([{ date: '2027-05-01', isWorkday: false, name: '劳动节' }]);
  });

  it('refuses a text that is not iCalendar, with its message', () => {
    expect(refusal('BEGIN:VEVENT\nEND:VEVENT')).toMatchObject({ code: 'import_failed', message: 'the text is not an iCalendar file (no BEGIN:VCALENDAR)' });
    expect(refusal(cal()).message).toBe('the calendar has no VEVENT');
  });
});

describe('parseHolidayIcs: dates', () => {
  it('reads a floating local date-time, a value after spaces, and a DTEND date-time before midnight as one day', () => {
    expect(entries(cal(['DTSTART:20270404T100000', 'SUMMARY:清明(休)']))).toEqual([{ date: '2027-04-04', isWorkday: false, name: '清明' }]);
    expect(entries(cal(['DTSTART: 20270405', 'SUMMARY:清明(休)']))).toEqual([{ date: '2027-04-05', isWorkday: false, name: '清明' }]);
  });

  it('refuses a missing or malformed DTSTART and a malformed DTEND, naming the field', () => {
    expect(refusal(cal(['SUMMARY:元旦(休)']))).toMatchObject({ message: 'an event has a missing or invalid DTSTART ""', details: { field: 'DTSTART' } });
    for (const bad of ['tomorrow', '20270101X', 'X20270101', '2027-01-01']) {
      expect(refusal(cal([`DTSTART:${bad}`, 'SUMMARY:元旦(休)'])), bad).toMatchObject({ message: `an event has a missing or invalid DTSTART "${bad}"`, details: { field: 'DTSTART' } });
    }
    expect(refusal(cal(day('20270101', 'DTEND;VALUE=DATE:2027', 'SUMMARY:元旦(休)')))).toMatchObject({ message: 'an event has an invalid DTEND "2027"', details: { field: 'DTEND' } });
  });

  it('takes events of up to 62 days, refuses longer ones with the count', () => {
    expect(entries(cal(day('20270101', 'DTEND;VALUE=DATE:20270304', 'SUMMARY:寒假(休)')))).toHaveLength(62);
    expect(refusal(cal(day('20270101', 'DTEND;VALUE=DATE:20270305', 'SUMMARY:寒假(休)')))).toMatchObject({ message: 'an event spans 63 days (at most 62)', details: { field: 'DTEND' } });
  });

  it('covers at most 20 000 days in all', () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => day(addDays('1970-01-01', i * 50).replaceAll('-', ''), `DTEND;VALUE=DATE:${addDays('1970-01-01', i * 50 + 50).replaceAll('-', '')}`, 'SUMMARY:假(休)'));
    expect(entries(cal(...events(400)))).toHaveLength(20_000);
    expect(refusal(cal(...events(401))).message).toBe('the calendar covers more than 20000 days');
  });
});

describe('parseHolidayIcs: day off or make-up workday', () => {
  it('knows (班) and （班） with spaces, a DESCRIPTION of 班, and the Apple markers', () => {
    const text = cal(
      day('20270101', 'SUMMARY:春节(班)'),
      day('20270102', 'SUMMARY:春节（ 班 ）'),
      day('20270103', 'SUMMARY:春节', 'DESCRIPTION:班'),
      day('20270104', 'SUMMARY:春节', 'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY'),
      day('20270105', 'SUMMARY:春节', 'X-APPLE-SPECIAL-DAY:WORK-HOLIDAY'),
      day('20270106', 'DESCRIPTION:休'),
    );
    expect(entries(text)).toEqual([
      { date: '2027-01-01', isWorkday: true, name: '春节补班' },
      { date: '2027-01-02', isWorkday: true, name: '春节补班' },
      { date: '2027-01-03', isWorkday: true, name: '春节补班' },
      { date: '2027-01-04', isWorkday: true, name: '春节补班' },
      { date: '2027-01-05', isWorkday: false, name: '春节' },
      { date: '2027-01-06', isWorkday: false, name: null },
    ]);
  });

  it('cleans names: a marker with spaces, 假期 without a space, at most 40 characters', () => {
    const long = '很'.repeat(45);
    const text = cal(day('20270201', 'SUMMARY:国庆节 ( 休 ) '), day('20270202', 'SUMMARY:元旦假期第2天'), day('20270203', `SUMMARY:${long}(休)`), day('20270204', 'SUMMARY:(休)'));
    expect(entries(text).map((e) => e.name)).toEqual(['国庆节', '元旦', '很'.repeat(40), null]);
  });

  it('reports events it cannot classify, and refuses a file of only such events', () => {
    const err = refusal(cal(day('20270310', 'SUMMARY: 植树节 '), day('20270311'), day('20270312', 'SUMMARY:植树\\n活动')));
    expect(err).toMatchObject({ message: 'no event is marked as a day off (休) or a make-up workday (班)', details: { skipped: ['植树节', '(no summary)', '植树 活动'] } });
  });
});
