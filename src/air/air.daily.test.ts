import { describe, expect, it } from 'vitest';
import { dailyAqiSeries, goodDaysShare, maxEightHour } from './air.daily.js';

describe('a day\'s highest 8-hour O3 (HJ 663-2013)', () => {
  it('slides windows starting 00:00–16:00 and needs 6 of the 8 hours', () => {
    // 100 all day but 200 from 10:00 to 13:59: the window 06–13 holds four 200s → (4×100 + 4×200)/8 = 150
    const hours = Array.from({ length: 24 }, (_, h) => (h >= 10 && h <= 13 ? 200 : 100));
    expect(maxEightHour(hours)).toBe(150);
    // only 5 hours reported in every window: no value
    const sparse = Array.from({ length: 24 }, (_, h) => (h % 8 < 5 ? 100 : undefined));
    expect(maxEightHour(sparse)).toBeNull();
    // a gap of two hours still counts (6 of 8), averaged over the six present: 06–13 with 06, 07 missing → 4×200 + 2×100 over 6
    const gap = hours.map((v, h) => (h < 8 ? undefined : v));
    expect(maxEightHour(gap)).toBeCloseTo((4 * 200 + 2 * 100) / 6, 9);
  });
});

describe('the city\'s daily AQI and 优良天数', () => {
  it('indexes each day on its means and counts days at 100 or below', () => {
    const days = dailyAqiSeries([
      // 11-01: PM2.5 30 → 50/35 × 30 = 42.9 → 43 (优)
      { date: '2026-11-01', metric: 'pm25', mean: 30 },
      // 11-02: PM2.5 160 → 150–250 → 200–300: 210 (重度污染); PM10 100 → 50–150 → 50–100: 75
      { date: '2026-11-02', metric: 'pm25', mean: 160 },
      { date: '2026-11-02', metric: 'pm10', mean: 100 },
      // 11-03: PM2.5 70 → 35–75 → 50–100: 50/40 × 35 + 50 = 93.75 → 94 (良)
      { date: '2026-11-03', metric: 'pm25', mean: 70 },
    ], [
      // 11-01: O3 hourly 150 all day: 8 h 150 → 100–160 → 50–100: 50/60 × 50 + 50 = 91.7 → 92; 1 h 150 → 47 → day AQI 92 (良), primary o3_8h
      ...Array.from({ length: 24 }, (_, hour) => ({ date: '2026-11-01', hour, mean: 150 })),
    ]);
    expect(days).toEqual([
      { date: '2026-11-01', aqi: 92, level: '良', primaryPollutant: 'o3_8h' },
      { date: '2026-11-02', aqi: 210, level: '重度污染', primaryPollutant: 'pm25' },
      { date: '2026-11-03', aqi: 94, level: '良', primaryPollutant: 'pm25' },
    ]);
    expect(goodDaysShare(days)).toEqual({ share: 66.7, good: 2, days: 3 });
    expect(goodDaysShare([])).toEqual({ share: null, good: 0, days: 0 });
  });
});
