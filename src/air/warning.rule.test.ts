import { describe, expect, it } from 'vitest';
import { isAbove, warningLevelFor } from './warning.rule.js';

const days = (...aqi: number[]) => aqi.map((v, i) => ({ date: `2026-12-0${i + 1}`, aqi: v }));

// Worked from the 2019 unified standard (环办大气函〔2019〕648号) by hand.
describe('重污染天气预警分级', () => {
  it('no warning below the thresholds, and 150 / 200 themselves do not count', () => {
    expect(warningLevelFor(days(150, 150, 150, 200))).toBeNull();
    expect(warningLevelFor(days(151, 120, 151))).toBeNull();
  });
  it('黄色: one day above 200, or two days above 150', () => {
    expect(warningLevelFor(days(120, 201, 120))?.level).toBe('yellow');
    expect(warningLevelFor(days(151, 160, 100))?.level).toBe('yellow');
  });
  it('橙色: two days above 200, or three above 150', () => {
    expect(warningLevelFor(days(210, 220, 100))?.level).toBe('orange');
    expect(warningLevelFor(days(160, 170, 180))?.level).toBe('orange');
  });
  it('红色: three days above 200 with one above 300; three above 200 alone is orange', () => {
    expect(warningLevelFor(days(210, 320, 230))).toMatchObject({ level: 'red' });
    expect(warningLevelFor(days(210, 290, 230))?.level).toBe('orange');
  });
  it('a gap in the dates breaks a run', () => {
    expect(warningLevelFor([{ date: '2026-12-01', aqi: 160 }, { date: '2026-12-03', aqi: 160 }])).toBeNull();
  });
  it('orders the levels', () => {
    expect(isAbove('red', 'orange')).toBe(true);
    expect(isAbove('yellow', 'yellow')).toBe(false);
  });
});
