import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketBounds, bucketOf, histogramMedian } from './kpi.histogram.js';

const HOUR = 3_600_000;
const histogram = (hours: number[]) => {
  const m = new Map<number, number>();
  for (const h of hours) m.set(bucketOf(h * HOUR), (m.get(bucketOf(h * HOUR)) ?? 0) + 1);
  return m;
};
const exactMedian = (hours: number[]) => {
  const s = [...hours].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

describe('closure-time histogram', () => {
  it('puts a duration in the bucket whose bounds hold it', () => {
    // 40 min: 16 × log2(40) = 85.15 → bucket 86, [2^(85/16), 2^(86/16)) = [39.7, 41.4) minutes
    expect(bucketOf(40 * 60_000)).toBe(86);
    expect(bucketOf(30_000)).toBe(0);
    expect(bucketOf(60_000)).toBe(1);
    expect(bucketOf(-5)).toBe(0);
    fc.assert(fc.property(fc.double({ min: 0.02, max: 80_000, noNaN: true }), (hours) => {
      const [lo, hi] = bucketBounds(bucketOf(hours * HOUR));
      return lo <= hours * (1 + 1e-12) && hours < hi * (1 + 1e-12);
    }));
  });

  it('reads medians within 5 % of the exact median, whatever the spread', () => {
    // Log-uniform durations from one minute to two years, 1 to 400 of them.
    const hours = fc.array(fc.double({ min: Math.log(1 / 60), max: Math.log(17_520), noNaN: true }).map(Math.exp), { minLength: 1, maxLength: 400 });
    fc.assert(fc.property(hours, (hs) => {
      const got = histogramMedian(histogram(hs)) as number;
      const exact = exactMedian(hs);
      return Math.abs(got - exact) <= 0.05 * exact + 0.005; // + rounding to 2 decimals
    }), { numRuns: 300 });
  });

  it('averages the two middle values of an even count, as the exact median does', () => {
    // 40 min and 25 h 20 min: exact median 13 h; each read within its bucket.
    const got = histogramMedian(histogram([40 / 60, 25 + 1 / 3])) as number;
    expect(Math.abs(got - 13) / 13).toBeLessThan(0.05);
    expect(histogramMedian(new Map())).toBeNull();
  });
});
