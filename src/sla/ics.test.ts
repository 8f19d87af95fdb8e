import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chineseDaysEntries } from './calendar.seed.js';
import { parseHolidayIcs } from './ics.js';
import { noticeEntries } from './notice.js';

const require = createRequire(import.meta.url);
const shippedIcs = (file: string) => readFileSync(require.resolve(`chinese-days/dist/${file}`), 'utf8');
const TZ = 'Asia/Shanghai';

describe('parseHolidayIcs', () => {
  it("reads chinese-days' holidays.ics exactly like its JSON data (2024–2026)", () => {
    const { entries, skipped } = parseHolidayIcs(shippedIcs('holidays.ics'), TZ);
    const json = chineseDaysEntries().filter((e) => e.date >= '2024-01-01');
    expect(skipped).toEqual([]);
    expect(entries).toEqual(json);
    expect(entries.find((e) => e.date === '2026-10-10')).toEqual({ date: '2026-10-10', isWorkday: true, name: '国庆节补班' });
  });

  it('reads the English file by its (Holiday)/(Workday) markers', () => {
    const { entries } = parseHolidayIcs(shippedIcs('holidays.en.ics'), TZ);
    expect(entries.find((e) => e.date === '2026-02-14')).toEqual({ date: '2026-02-14', isWorkday: true, name: 'Spring Festival补班' });
    expect(entries.find((e) => e.date === '2026-10-01')?.isWorkday).toBe(false);
  });

  it('handles LF lines, folding, missing DTEND, UTC date-times and 假期/补班 wording', () => {
    const text = [
      'BEGIN:VCALENDAR', 'VERSION:2.0',
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270104', 'SUMMARY:元旦 假期 第1天/', ' 共3天', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270207', 'SUMMARY:春节 补班', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART:20270404T160000Z', 'DTEND:20270405T160000Z', 'SUMMARY:清明(休)', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270310', 'SUMMARY:植树节', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\n');
    const { entries, skipped } = parseHolidayIcs(text, TZ);
    expect(entries).toEqual([
      { date: '2027-01-01', isWorkday: false, name: '元旦' },
      { date: '2027-01-02', isWorkday: false, name: '元旦' },
      { date: '2027-01-03', isWorkday: false, name: '元旦' },
      { date: '2027-02-07', isWorkday: true, name: '春节补班' },
      { date: '2027-04-05', isWorkday: false, name: '清明' },
    ]);
    expect(skipped).toEqual(['植树节']);
  });

  it.each([
    ['not iCalendar', 'hello', /BEGIN:VCALENDAR/],
    ['no events', 'BEGIN:VCALENDAR\nEND:VCALENDAR', /no VEVENT/],
    ['nothing marked', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270310\nSUMMARY:植树节\nEND:VEVENT\nEND:VCALENDAR', /day off/],
    ['a bad date', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270230\nSUMMARY:元旦(休)\nEND:VEVENT\nEND:VCALENDAR', /DTSTART/],
    ['a year-long event', 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:20280101\nSUMMARY:元旦(休)\nEND:VEVENT\nEND:VCALENDAR', /spans/],
  ])('refuses %s with import_failed', (_what, text, message) => {
    expect(() => parseHolidayIcs(text, TZ)).toThrow(message);
  });
});

describe('noticeEntries', () => {
  const notice = {
    year: 2027,
    holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }, { name: '国庆节', from: '2027-10-01', to: '2027-10-07' }],
    workdays: ['2027-02-13', '2027-09-26'],
  };

  it('turns ranges into days off and names make-up workdays after the nearest holiday', () => {
    const entries = noticeEntries(notice);
    expect(entries).toHaveLength(16);
    expect(entries.filter((e) => !e.isWorkday).map((e) => e.date)).toContain('2027-02-06');
    expect(entries.find((e) => e.date === '2027-02-13')).toEqual({ date: '2027-02-13', isWorkday: true, name: '春节补班' });
    expect(entries.find((e) => e.date === '2027-09-26')?.name).toBe('国庆节补班');
  });

  it.each([
    ['a date outside the year', { ...notice, workdays: ['2026-12-31'] }, 'workdays.0'],
    ['an impossible date', { ...notice, holidays: [{ name: 'x', from: '2027-02-30', to: '2027-03-01' }] }, 'holidays.0.from'],
    ['a reversed range', { ...notice, holidays: [{ name: 'x', from: '2027-03-05', to: '2027-03-01' }] }, 'holidays.0.to'],
    ['overlapping holidays', { ...notice, holidays: [...notice.holidays, { name: 'x', from: '2027-02-11', to: '2027-02-12' }] }, 'holidays.2'],
    ['a workday inside a holiday', { ...notice, workdays: ['2027-10-03'] }, 'workdays.0'],
  ])('refuses %s, naming the field', (_what, input, field) => {
    expect(() => noticeEntries(input)).toThrow(expect.objectContaining({ code: 'validation_failed', details: { field } }));
  });
});
