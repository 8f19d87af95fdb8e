import { describe, expect, it } from 'vitest';
import { AqiInputError, computeAqi, iaqiOn } from './aqi.js';

// Worked by hand from HJ 633-2012 Table 1, IAQI = (Ih − Il)/(BPh − BPl) × (C − BPl) + Il, rounded up.
describe('IAQI (HJ 633-2012)', () => {
  it('interpolates inside a segment and rounds up', () => {
    expect(iaqiOn('pm25_24h', 80)).toBe(107); // 75–115 → 100–150: 50/40 × 5 + 100 = 106.25
    expect(iaqiOn('pm10_24h', 200)).toBe(125); // 150–250 → 100–150: 0.5 × 50 + 100
    expect(iaqiOn('no2_24h', 60)).toBe(75); // 40–80 → 50–100: 50/40 × 20 + 50
    expect(iaqiOn('o3_8h', 120)).toBe(67); // 100–160 → 50–100: 50/60 × 20 + 50 = 66.67
    expect(iaqiOn('co_1h', 6)).toBe(60); // 5–10 → 50–100: 10 × 1 + 50
  });
  it('takes a breakpoint itself as the top of the lower segment', () => {
    expect(iaqiOn('pm25_24h', 35)).toBe(50);
    expect(iaqiOn('pm25_24h', 75)).toBe(100);
    expect(iaqiOn('so2_1h', 150)).toBe(50);
  });
  it('hourly and 24-hour tables differ', () => {
    expect(iaqiOn('no2_1h', 150)).toBe(75); // 100–200 → 50–100
    expect(iaqiOn('no2_24h', 150)).toBe(135); // 80–180 → 100–150: 50/100 × 70 + 100
  });
  it('is 500 above the last breakpoint, and nothing above a table that stops short', () => {
    expect(iaqiOn('pm25_24h', 600)).toBe(500);
    expect(iaqiOn('so2_1h', 801)).toBeNull();
    expect(iaqiOn('o3_8h', 801)).toBeNull();
  });
});

describe('AQI, primary pollutant and level', () => {
  it('a day: PM10 decides (轻度污染)', () => {
    // pm25 80 → 107, pm10 200 → 125, no2 60 → 75, so2 30 → 30, co 1.2 → 30, o3 (8 h) 120 → 67
    expect(computeAqi({ period: 'day', pm25: 80, pm10: 200, no2: 60, so2: 30, co: 1.2, o3: 120 })).toEqual({
      aqi: 125, primaryPollutant: 'pm10', primaryPollutants: ['pm10'], level: { grade: 3, name: '轻度污染', color: '#ff7e00' },
      iaqi: { pm25: 107, pm10: 125, no2: 75, so2: 30, co: 30, o3_8h: 67 },
    });
  });
  it('an hour: 1-hour tables for NO2, CO, O3; PM2.5 on its 24-hour table (重度污染)', () => {
    // pm25 160 → 150–250 → 200–300: 210; o3 (1 h) 250 → 125; no2 (1 h) 150 → 75; co (1 h) 6 → 60
    const r = computeAqi({ period: 'hour', pm25: 160, o3: 250, no2: 150, co: 6 });
    expect(r).toMatchObject({ aqi: 210, primaryPollutant: 'pm25', level: { grade: 5, name: '重度污染' }, iaqi: { pm25: 210, o3: 125, no2: 75, co: 60 } });
  });
  it('no primary pollutant at 50 or below (优); ties name every pollutant at the top', () => {
    expect(computeAqi({ period: 'day', pm25: 20, pm10: 40 })).toMatchObject({ aqi: 40, primaryPollutant: null, level: { name: '优' } });
    expect(computeAqi({ period: 'day', pm25: 75, pm10: 150 })).toMatchObject({ aqi: 100, primaryPollutants: ['pm25', 'pm10'], level: { name: '良' } });
  });
  it('SO2 1 h above 800: the 24-hour IAQI is reported; O3 8 h above 800: the 1-hour IAQI', () => {
    expect(() => computeAqi({ period: 'hour', so2: 900 })).toThrow(AqiInputError);
    expect(computeAqi({ period: 'hour', so2: 900, so2_24h: 500 }).iaqi.so2).toBe(154); // 475–800 → 150–200: 50/325 × 25 + 150 = 153.8
    expect(() => computeAqi({ period: 'day', o3: 900 })).toThrow(AqiInputError);
    // o3_1h 900: 800–1000 → 300–400: 100/200 × 100 + 300
    expect(computeAqi({ period: 'day', o3: 900, o3_1h: 900 })).toMatchObject({ aqi: 350, primaryPollutant: 'o3_1h', level: { grade: 6, name: '严重污染' }, iaqi: { o3_1h: 350 } });
  });
});
