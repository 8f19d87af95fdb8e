import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWorkday as chineseDaysIsWorkday } from 'chinese-days';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { importDivisions } from '../src/org/org.service.js';
import { addUser } from '../src/auth/auth.service.js';
import { calendarRepository } from '../src/sla/calendar.repository.js';
import { chineseDaysEntries, seedCalendarDays } from '../src/sla/calendar.seed.js';
import { getWorkCalendar } from '../src/sla/calendar.loader.js';
import { isWorkday } from '../src/sla/calendar.js';

let env: TestEnv;
let admin: string;
let dispatcher: string;

beforeAll(async () => {
  env = await createTestEnv();
  await importDivisions(env.sys(), '1503');
  await addUser(env.sys(), { username: 'cal_admin', password: 'admin-pass-1', role: 'admin', orgCode: '150300' });
  await addUser(env.sys(), { username: 'cal_dispatch', password: 'dispatch-pass-1', role: 'dispatcher', orgCode: '150300' });
  admin = await loginCookie(env.http, 'cal_admin', 'admin-pass-1');
  dispatcher = await loginCookie(env.http, 'cal_dispatch', 'dispatch-pass-1');
});
afterAll(() => env.close());

type Day = { date: string; isWorkday: boolean; name: string | null; source: string };
const days = async (from: string, to: string, cookie = admin): Promise<Day[]> => {
  const res = await env.http.inject({ url: `/api/v1/calendar/days?from=${from}&to=${to}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json().items;
};
const day = async (date: string) => (await days(date, date))[0];
const deadline = async (start: string, amount: number, unit: string) => {
  const res = await env.http.inject({ url: `/api/v1/calendar/deadline?start=${encodeURIComponent(start)}&amount=${amount}&unit=${unit}` });
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('seeding from chinese-days', () => {
  it('stores every shipped holiday and make-up workday once, and again adds nothing', async () => {
    const rows = await calendarRepository.listAll(env.app.store.db);
    expect(rows).toHaveLength(chineseDaysEntries().length);
    expect(rows.length).toBeGreaterThan(700);
    expect(await seedCalendarDays(env.app)).toBe(0);
  });

  it('lists 2026 exactly as the chinese-days API sees it', async () => {
    const year = await days('2026-01-01', '2026-12-31');
    expect(year).toHaveLength(365);
    const mismatches = year.filter((d) => d.isWorkday !== chineseDaysIsWorkday(d.date));
    expect(mismatches).toEqual([]);
    expect(year.filter((d) => d.isWorkday)).toHaveLength(year.filter((d) => chineseDaysIsWorkday(d.date)).length);
  });

  it('names holidays and make-up workdays, and marks plain days as default', async () => {
    expect(await day('2026-10-01')).toEqual({ date: '2026-10-01', isWorkday: false, name: '国庆节', source: 'chinese-days' });
    expect(await day('2026-02-14')).toEqual({ date: '2026-02-14', isWorkday: true, name: '春节补班', source: 'chinese-days' });
    expect(await day('2026-03-03')).toEqual({ date: '2026-03-03', isWorkday: true, name: null, source: 'default' });
  });
});

describe('GET /calendar/deadline (public)', () => {
  it('answers {deadline} without a login: 4 工作时 from Friday 16:00 before 清明 → Tuesday 11:00', async () => {
    expect(await deadline('2026-04-03T16:00:00+08:00', 4, 'work_hours')).toEqual({ deadline: '2026-04-07T03:00:00.000Z' });
    expect(await deadline('2026-04-03T08:00:00Z', 4, 'work_hours')).toEqual({ deadline: '2026-04-07T03:00:00.000Z' });
    expect(await deadline('2026-04-03T16:00', 4, 'work_hours')).toEqual({ deadline: '2026-04-07T03:00:00.000Z' });
  });

  it('works in every unit', async () => {
    expect((await deadline('2026-09-30T16:00+08:00', 2, 'work_days')).deadline).toBe('2026-10-09T09:00:00.000Z');
    expect((await deadline('2026-09-30T16:00+08:00', 7, 'calendar_days')).deadline).toBe('2026-10-07T08:00:00.000Z');
    expect((await deadline('2026-09-30T16:00+08:00', 2.5, 'hours')).deadline).toBe('2026-09-30T10:30:00.000Z');
    expect((await deadline('2026-09-30T16:00+08:00', 0, 'minutes')).deadline).toBe('2026-09-30T08:00:00.000Z');
  });

  it.each([
    ['unit=fortnights', 'start=2026-04-03T16:00Z&amount=1&unit=fortnights', 'unit'],
    ['a negative amount', 'start=2026-04-03T16:00Z&amount=-1&unit=hours', 'amount'],
    ['a non-numeric amount', 'start=2026-04-03T16:00Z&amount=lots&unit=hours', 'amount'],
    ['an impossible date', 'start=2026-02-30T10:00Z&amount=1&unit=hours', 'start'],
    ['a date without time', 'start=2026-04-03&amount=1&unit=hours', 'start'],
    ['a missing start', 'amount=1&unit=hours', 'start'],
  ])('refuses %s with 400 naming the field', async (_what, query, field) => {
    const res = await env.http.inject({ url: `/api/v1/calendar/deadline?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field } });
  });

  it('refuses unknown query fields', async () => {
    const res = await env.http.inject({ url: '/api/v1/calendar/deadline?start=2026-04-03T16:00Z&amount=1&unit=hours&tz=UTC' });
    expect(res.json()).toMatchObject({ error: 'unknown_field', details: { field: 'tz' } });
  });
});

describe('GET /calendar/days', () => {
  it('needs a login', async () => {
    expect((await env.http.inject({ url: '/api/v1/calendar/days?from=2026-01-01&to=2026-01-02' })).statusCode).toBe(401);
  });

  it.each([
    ['more than 400 days', 'from=2026-01-01&to=2027-02-05', 'to'],
    ['a reversed range', 'from=2026-03-02&to=2026-03-01', 'to'],
    ['an impossible date', 'from=2026-02-30&to=2026-03-01', 'from'],
  ])('refuses %s', async (_what, query, field) => {
    const res = await env.http.inject({ url: `/api/v1/calendar/days?${query}`, headers: { cookie: admin } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field } });
  });
});

describe('admin edits', () => {
  it('forbids writes to non-admins and anonymous callers', async () => {
    const writes = [
      { method: 'PUT' as const, url: '/api/v1/calendar/days/2026-04-07', payload: { isWorkday: false } },
      { method: 'POST' as const, url: '/api/v1/calendar/notices', payload: { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }], workdays: [] } },
      { method: 'POST' as const, url: '/api/v1/calendar/ics', payload: { ics: 'BEGIN:VCALENDAR' } },
    ];
    for (const w of writes) {
      expect((await env.http.inject({ ...w, headers: { cookie: dispatcher } })).json()).toMatchObject({ error: 'forbidden' });
      expect((await env.http.inject(w)).statusCode).toBe(401);
    }
    expect((await day('2026-04-07')).source).toBe('default');
  });

  it('a day set off by an admin moves the next deadline, survives re-seeding and stays in memory', async () => {
    const res = await env.http.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-04-07', headers: { cookie: admin }, payload: { isWorkday: false, name: '全市停电' } });
    expect(res.json()).toEqual({ date: '2026-04-07', isWorkday: false, name: '全市停电', source: 'admin' });
    expect((await deadline('2026-04-03T16:00+08:00', 4, 'work_hours')).deadline).toBe('2026-04-08T03:00:00.000Z');
    await seedCalendarDays(env.app);
    expect((await day('2026-04-07')).source).toBe('admin');
    expect(isWorkday(getWorkCalendar(env.app), '2026-04-07')).toBe(false);
  });

  it('validates the date and the body', async () => {
    const bad = await env.http.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-02-30', headers: { cookie: admin }, payload: { isWorkday: true } });
    expect(bad.json()).toMatchObject({ error: 'validation_failed', details: { field: 'date' } });
    const typed = await env.http.inject({ method: 'PUT', url: '/api/v1/calendar/days/2026-03-03', headers: { cookie: admin }, payload: { isWorkday: 'yes' } });
    expect(typed.json()).toMatchObject({ error: 'validation_failed', details: { field: 'isWorkday' } });
  });
});

describe('POST /calendar/notices', () => {
  // An invented 2027 notice: 春节 2-5 … 2-11 with make-up Saturday 2-13; 国庆 10-1 … 10-7.
  const notice = {
    year: 2027,
    holidays: [{ name: '春节', from: '2027-02-05', to: '2027-02-11' }, { name: '国庆节', from: '2027-10-01', to: '2027-10-07' }],
    workdays: ['2027-02-13'],
  };

  it('writes the year and deadlines follow it at once', async () => {
    await env.http.inject({ method: 'PUT', url: '/api/v1/calendar/days/2027-10-07', headers: { cookie: admin }, payload: { isWorkday: true, name: '本市不放假' } });
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/notices', headers: { cookie: admin }, payload: notice });
    expect(res.json()).toEqual({ year: 2027, offDays: 13, workdays: 1, keptAdmin: 1, replaced: 0 });
    expect(await day('2027-02-08')).toEqual({ date: '2027-02-08', isWorkday: false, name: '春节', source: 'notice' });
    expect(await day('2027-02-13')).toEqual({ date: '2027-02-13', isWorkday: true, name: '春节补班', source: 'notice' });
    expect((await day('2027-10-07')).source).toBe('admin');
    // Thu 2-4 16:00: 1.5 h; 2-5 … 2-11 off; Fri 2-12 7.5 h → 9 h; 1 工作日 = 8 h ends Fri 2-12 16:30.
    expect((await deadline('2027-02-04T16:00+08:00', 1, 'work_days')).deadline).toBe('2027-02-12T08:30:00.000Z');
  });

  it('a corrected notice replaces the year, and seeding never refills a notice year', async () => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/notices', headers: { cookie: admin }, payload: { year: 2025, holidays: [{ name: '元旦', from: '2025-01-01', to: '2025-01-01' }], workdays: [] } });
    expect(res.json()).toMatchObject({ year: 2025, offDays: 1, workdays: 0 });
    expect(res.json().replaced).toBeGreaterThan(30);
    expect((await day('2025-10-01')).source).toBe('default');
    expect(await seedCalendarDays(env.app)).toBe(0);
    expect((await day('2025-10-01')).isWorkday).toBe(true);
  });

  it.each([
    ['a date outside the year', { ...notice, workdays: ['2026-12-31'] }, 'workdays.0'],
    ['an impossible date', { ...notice, holidays: [{ name: 'x', from: '2027-02-30', to: '2027-03-01' }] }, 'holidays.0.from'],
    ['a workday inside a holiday', { ...notice, workdays: ['2027-10-03'] }, 'workdays.0'],
    ['no holidays', { ...notice, holidays: [] }, 'holidays'],
    ['a wrong year', { ...notice, year: 27 }, 'year'],
  ])('refuses %s naming the field', async (_what, payload, field) => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/notices', headers: { cookie: admin }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field } });
  });
});

describe('POST /calendar/ics', () => {
  const ics = [
    'BEGIN:VCALENDAR', 'VERSION:2.0',
    'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20280101', 'DTEND;VALUE=DATE:20280104', 'SUMMARY:元旦(休)', 'END:VEVENT',
    'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20271231', 'DTEND;VALUE=DATE:20280101', 'SUMMARY:元旦(班)', 'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');

  it('imports text/calendar', async () => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/ics', headers: { cookie: admin, 'content-type': 'text/calendar; charset=utf-8' }, payload: ics });
    expect(res.json()).toEqual({ offDays: 3, workdays: 1, keptAdmin: 0, skippedEvents: [] });
    expect(await day('2028-01-03')).toEqual({ date: '2028-01-03', isWorkday: false, name: '元旦', source: 'ics' });
    expect((await day('2027-12-31')).name).toBe('元旦补班');
  });

  it("imports JSON {ics}: chinese-days' own holidays.ics changes nothing but the source", async () => {
    const text = readFileSync(createRequire(import.meta.url).resolve('chinese-days/dist/holidays.ics'), 'utf8');
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/ics', headers: { cookie: admin }, payload: { ics: text } });
    expect(res.statusCode).toBe(200);
    expect(res.json().keptAdmin).toBe(0);
    expect(await day('2026-10-01')).toEqual({ date: '2026-10-01', isWorkday: false, name: '国庆节', source: 'ics' });
    expect((await day('2026-04-07')).source).toBe('admin');
  });

  it('refuses text that is not a holiday calendar', async () => {
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/ics', headers: { cookie: admin, 'content-type': 'text/calendar' }, payload: 'hello' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('import_failed');
    const json = await env.http.inject({ method: 'POST', url: '/api/v1/calendar/ics', headers: { cookie: admin }, payload: { calendar: 'x' } });
    expect(json.statusCode).toBe(400);
  });
});
