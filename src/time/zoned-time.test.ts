import { describe, expect, it } from 'vitest';
import { fromLocal, localDate, localParts, parseInstant, toLocal, toZonedIso, zoned, zoneOffsetMs } from './zoned-time.js';

const H = 3_600_000;
const MIN = 60_000;

describe('toLocal / fromLocal', () => {
  it('Asia/Shanghai is UTC+8 all year, across the local midnight', () => {
    expect(zoneOffsetMs(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * H);
    expect(toLocal(new Date('2026-09-30T16:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-10-01', msOfDay: 30 * MIN });
    expect(fromLocal('2026-10-01', 30 * MIN, 'Asia/Shanghai')).toBe(Date.parse('2026-09-30T16:30:00Z'));
  });

  it('round-trips every quarter hour of a day in several zones', () => {
    for (const tz of ['Asia/Shanghai', 'Asia/Urumqi', 'Europe/London', 'America/New_York', 'Asia/Kathmandu']) {
      for (let ms = 0; ms < 24 * H; ms += 15 * MIN) {
        expect(toLocal(fromLocal('2026-06-15', ms, tz), tz)).toEqual({ date: '2026-06-15', msOfDay: ms });
      }
    }
  });

  it('spring forward: a skipped time maps past the gap', () => {
    // America/New_York 2026-03-08: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist.
    expect(fromLocal('2026-03-08', 2.5 * H, 'America/New_York')).toBe(Date.parse('2026-03-08T07:30:00Z'));
    expect(toLocal(Date.parse('2026-03-08T07:30:00Z'), 'America/New_York')).toEqual({ date: '2026-03-08', msOfDay: 3.5 * H });
  });

  it('fall back: a repeated time maps to its first occurrence', () => {
    // America/New_York 2026-11-01: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
    expect(fromLocal('2026-11-01', 1.5 * H, 'America/New_York')).toBe(Date.parse('2026-11-01T05:30:00Z'));
    expect(toLocal(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York').msOfDay).toBe(1.5 * H);
  });

  it('keeps milliseconds', () => {
    expect(toLocal(Date.parse('2026-01-01T00:00:00.123Z'), 'Asia/Shanghai')).toEqual({ date: '2026-01-01', msOfDay: 8 * H + 123 });
  });
});

describe('parseInstant', () => {
  it.each([
    ['2026-04-03T16:00:00+08:00', '2026-04-03T08:00:00.000Z'],
    ['2026-04-03T08:00:00Z', '2026-04-03T08:00:00.000Z'],
    ['2026-04-03T08:00:00.5Z', '2026-04-03T08:00:00.500Z'],
    ['2026-04-03T03:00-05:00', '2026-04-03T08:00:00.000Z'],
    ['2026-04-03T16:00', '2026-04-03T08:00:00.000Z'],
  ])('%s → %s (no offset = city time)', (text, iso) => {
    expect(parseInstant(text, 'Asia/Shanghai')?.toISOString()).toBe(iso);
  });

  it.each(['2026-02-30T10:00Z', '2026-04-03', '2026-04-03T24:00Z', '2026-04-03T10:60Z', 'tomorrow', '2026-04-03T10:00+25:00', ' 2026-04-03T10:00Z'])('refuses %s', (text) => {
    expect(parseInstant(text, 'Asia/Shanghai')).toBeNull();
  });
});

describe('local parts, dates and zoned ISO text', () => {
  it('gives the wall clock and ISO weekday of an instant', () => {
    // 2026-11-29 is a Sunday; 17:30 UTC is 01:30 on Monday 30 November in Beijing.
    expect(localParts(new Date('2026-11-29T17:30:05Z'), 'Asia/Shanghai')).toEqual({ year: 2026, month: 11, day: 30, hour: 1, minute: 30, second: 5, weekday: 1 });
    expect(localParts(new Date('2026-11-29T17:30:05Z'), 'UTC')).toMatchObject({ day: 29, hour: 17, weekday: 7 });
    expect(localDate(new Date('2026-01-04T23:59:59Z'), 'America/New_York')).toBe('2026-01-04');
    expect(localDate(new Date('2026-01-04T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-01-05');
  });

  it('writes instants with the zone\'s offset, across a DST change, and leaves null alone', () => {
    expect(toZonedIso(new Date('2026-11-26T08:00:00.750Z'), 'Asia/Shanghai')).toBe('2026-11-26T16:00:00+08:00');
    expect(toZonedIso(new Date('2026-03-08T06:59:00Z'), 'America/New_York')).toBe('2026-03-08T01:59:00-05:00');
    expect(toZonedIso(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toBe('2026-03-08T03:00:00-04:00');
    expect(toZonedIso(new Date('2026-06-01T00:00:00Z'), 'Asia/Kathmandu')).toBe('2026-06-01T05:45:00+05:45');
    expect(zoned('2026-11-26T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-26T10:00:00+08:00');
    expect(zoned(null, 'Asia/Shanghai')).toBeNull();
    expect(zoned(undefined, 'Asia/Shanghai')).toBeNull();
  });
});
