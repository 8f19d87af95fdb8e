import { describe, expect, it } from 'vitest';
import { compileTimeFormat, parseHistoryTime } from './history.time.js';

const LA = 'America/Los_Angeles';
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseHistoryTime', () => {
  it('reads the three formats real exports use as wall-clock time in the zone', () => {
    // 2018-12-31 23:55:30 in Los Angeles (PST, UTC−8) is 2019-01-01 07:55:30 UTC.
    expect(iso(parseHistoryTime('12/31/2018 11:55:30 PM', LA))).toBe('2019-01-01T07:55:30.000Z');
    expect(iso(parseHistoryTime('2018-12-31 23:55:30', LA))).toBe('2019-01-01T07:55:30.000Z');
    expect(iso(parseHistoryTime('2018-12-31T23:55:30', LA))).toBe('2019-01-01T07:55:30.000Z');
    // Summer: PDT, UTC−7. 12 AM is midnight, 12 PM noon.
    expect(iso(parseHistoryTime('07/04/2020 12:00:00 AM', LA))).toBe('2020-07-04T07:00:00.000Z');
    expect(iso(parseHistoryTime('07/04/2020 12:30:00 PM', LA))).toBe('2020-07-04T19:30:00.000Z');
    expect(iso(parseHistoryTime('2020-07-04', 'Asia/Shanghai'))).toBe('2020-07-03T16:00:00.000Z');
  });

  it('takes an ISO time with a zone as it says, whatever the mapping zone', () => {
    expect(iso(parseHistoryTime('2020-01-01T00:00:00+08:00', LA))).toBe('2019-12-31T16:00:00.000Z');
    expect(iso(parseHistoryTime('2020-01-01T00:00:00Z', LA))).toBe('2020-01-01T00:00:00.000Z');
  });

  it('refuses impossible dates and other text', () => {
    for (const bad of ['', 'yesterday', '2019-02-29 10:00:00', '13/01/2020 10:00:00 AM', '2020-01-01 24:00:00', '01/01/2020 13:00:00 PM']) {
      expect(parseHistoryTime(bad, LA), bad).toBeNull();
    }
  });

  it('reads a named timeFormat', () => {
    const f = compileTimeFormat('DD.MM.YYYY HH:mm');
    expect(iso(parseHistoryTime('31.12.2018 23:55', LA, f))).toBe('2019-01-01T07:55:00.000Z');
    expect(parseHistoryTime('2018-12-31 23:55', LA, f)).toBeNull();
    expect(() => compileTimeFormat('HH:mm')).toThrow(/YYYY/);
  });

  it('moves a time skipped by the spring-forward gap forward and keeps times around it exact', () => {
    // 2020-03-08 02:30 does not exist in Los Angeles; 01:59 is PST, 03:00 PDT.
    expect(iso(parseHistoryTime('2020-03-08 01:59:00', LA))).toBe('2020-03-08T09:59:00.000Z');
    expect(iso(parseHistoryTime('2020-03-08 03:00:00', LA))).toBe('2020-03-08T10:00:00.000Z');
  });
});
