import { describe, expect, it } from 'vitest';
import { periodRange, previousRange } from './screen.period.js';

describe('screen periods', () => {
  //   November 2026            the 30 days ending 29 Nov start on 31 Oct (29 − 29 = 0 → 31 Oct)
  //   Mo Tu We Th Fr Sa Su
  //                      1
  //   ...            27 28 29
  it('ranges end on today and include it', () => {
    expect(periodRange('today', '2026-11-29')).toEqual({ from: '2026-11-29', to: '2026-11-29' });
    expect(periodRange('7d', '2026-11-29')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodRange('30d', '2026-11-29')).toEqual({ from: '2026-10-31', to: '2026-11-29' });
    expect(periodRange('year', '2026-11-29')).toEqual({ from: '2026-01-01', to: '2026-11-29' });
    expect(periodRange('7d', '2026-03-02')).toEqual({ from: '2026-02-24', to: '2026-03-02' });
  });

  it('the previous period has as many days and ends the day before', () => {
    expect(previousRange({ from: '2026-11-29', to: '2026-11-29' })).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    expect(previousRange({ from: '2026-11-23', to: '2026-11-29' })).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(previousRange({ from: '2026-03-01', to: '2026-03-30' })).toEqual({ from: '2026-01-30', to: '2026-02-28' });
  });

  it('a year to date compares with the same dates a year earlier, leap day folded', () => {
    expect(previousRange({ from: '2026-01-01', to: '2026-11-29' }, 'year')).toEqual({ from: '2025-01-01', to: '2025-11-29' });
    expect(previousRange({ from: '2028-01-01', to: '2028-02-29' }, 'year')).toEqual({ from: '2027-01-01', to: '2027-02-28' });
  });
});
