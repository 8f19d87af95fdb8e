import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, splitMinutes } from './format';

describe('formatDateTime', () => {
  it('shows an instant in the city zone as YYYY-MM-DD HH:mm', () => {
    // 2026-11-29T16:05Z is 00:05 the next day in Shanghai (UTC+8) and 11:05 in New York (UTC-5).
    expect(formatDateTime('2026-11-29T16:05:00.000Z', 'Asia/Shanghai')).toBe('2026-11-30 00:05');
    expect(formatDateTime('2026-11-29T16:05:00.000Z', 'America/New_York')).toBe('2026-11-29 11:05');
    expect(formatDate('2026-11-29T16:05:00.000Z', 'Asia/Shanghai')).toBe('2026-11-30');
  });
  it('returns an empty string for missing or invalid values', () => {
    expect(formatDateTime(null, 'Asia/Shanghai')).toBe('');
    expect(formatDateTime('not a date', 'Asia/Shanghai')).toBe('');
  });
});

describe('splitMinutes', () => {
  it('splits signed minutes into hours and minutes', () => {
    expect(splitMinutes(125)).toEqual({ negative: false, hours: 2, minutes: 5 });
    expect(splitMinutes(-61)).toEqual({ negative: true, hours: 1, minutes: 1 });
  });
});
