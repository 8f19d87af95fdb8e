import { describe, expect, it } from 'vitest';
import { fromLocal, localDate, localParts, parseInstant, parseW3cDatetime, steadyOffsetOn, toLocal, toZonedIso, zoned, zoneOffsetMs } from './zoned-time.js';

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
    expect(toZonedIso(new Date('2026-11-30T00:00:00Z'), 'UTC')).toBe('2026-11-30T00:00:00+00:00');
    expect(toZonedIso(new Date('2026-11-30T12:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-30T04:00:00-08:00');
    expect(zoned('2026-11-26T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-26T10:00:00+08:00');
    expect(zoned(null, 'Asia/Shanghai')).toBeNull();
    expect(zoned(undefined, 'Asia/Shanghai')).toBeNull();
  });
});

describe('offsets at the edges', () => {
  it('reads offsets up to ±23:59, half and three-quarter hours, seconds and fractions', () => {
    const iso = (text: string) => parseInstant(text, 'Asia/Shanghai')?.toISOString() ?? null;
    expect(iso('2026-04-03T10:00+05:30')).toBe('2026-04-03T04:30:00.000Z');
    expect(iso('2026-04-03T10:00+05:45')).toBe('2026-04-03T04:15:00.000Z');
    expect(iso('2026-04-03T10:00-00:30')).toBe('2026-04-03T10:30:00.000Z');
    expect(iso('2026-04-03T10:00+23:59')).toBe('2026-04-02T10:01:00.000Z');
    expect(iso('2026-04-03T23:59:59.05Z')).toBe('2026-04-03T23:59:59.050Z');
    expect(iso('2026-04-03T00:00:00.123Z')).toBe('2026-04-03T00:00:00.123Z');
    expect(['2026-04-03T10:00+24:00', '2026-04-03T10:00+05:60', '2026-04-03T10:00:60Z', '2026-04-03T10:00:00.1234Z', '2026-04-03T10:00+0530'].map(iso)).toEqual([null, null, null, null, null]);
  });

  it('without an offset, reads city time, also in a zone with daylight saving', () => {
    expect(parseInstant('2026-07-01T12:00', 'America/New_York')?.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(parseInstant('2026-01-01T12:00:30', 'America/New_York')?.toISOString()).toBe('2026-01-01T17:00:30.000Z');
  });
});

describe('parseW3cDatetime (Open311 clients)', () => {
  const iso = (text: string) => parseW3cDatetime(text, 'Asia/Shanghai')?.toISOString() ?? null;

  it('reads a date as local midnight, ±hhmm offsets, a + turned into a space, long fractions', () => {
    expect(iso('2026-11-26')).toBe('2026-11-25T16:00:00.000Z');
    expect(iso('2026-11-26T10:00:00+0800')).toBe('2026-11-26T02:00:00.000Z');
    expect(iso('2026-11-26T10:00:00-0130')).toBe('2026-11-26T11:30:00.000Z');
    expect(iso('2026-11-26T10:00:00 08:00')).toBe('2026-11-26T02:00:00.000Z');
    expect(iso('2026-11-26T10:00:00 0800')).toBe('2026-11-26T02:00:00.000Z');
    expect(iso('2026-11-26T10:00:00 05:30')).toBe('2026-11-26T04:30:00.000Z');
    expect(iso('2026-11-26T10:00:00.123456Z')).toBe('2026-11-26T10:00:00.123Z');
    expect(iso('  2026-11-26T10:00:00Z  ')).toBe('2026-11-26T10:00:00.000Z');
    expect(iso('2026-11-26T10:00')).toBe('2026-11-26T02:00:00.000Z');
  });

  it('refuses what is not a W3C datetime', () => {
    expect(['2026-11', '2026-11-26T10', '2026-11-31', '2026-11-26T10:00:00+08', 'now', ''].map(iso)).toEqual([null, null, null, null, null, null]);
  });
});

describe('steadyOffsetOn', () => {
  it('gives the offset of a day without a change, null for a day with one', () => {
    expect(steadyOffsetOn('2026-11-30', 'Asia/Shanghai')).toBe(8 * H);
    expect(steadyOffsetOn('2026-07-01', 'America/New_York')).toBe(-4 * H);
    expect(steadyOffsetOn('2026-01-15', 'America/New_York')).toBe(-5 * H);
    expect(steadyOffsetOn('2026-03-08', 'America/New_York')).toBeNull();
    expect(steadyOffsetOn('2026-11-01', 'America/New_York')).toBeNull();
  });

  it('offsets change at the instant of the DST switch, not a bucket later', () => {
    // America/New_York 2026-03-08 07:00Z: EST (−5 h) becomes EDT (−4 h).
    expect(zoneOffsetMs(Date.parse('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(Date.parse('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * H);
    expect(zoneOffsetMs(Date.parse('2026-03-08T06:50:00Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(Date.parse('2026-03-08T06:59:59.999Z'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(Date.parse('2026-03-08T06:45:00Z'), 'America/New_York')).toBe(-5 * H);
  });
});
