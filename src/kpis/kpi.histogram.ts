/**
 * Durations (hours from report to closure) kept as log-spaced histograms, so that a median over
 * any org unit and period is read from a few hundred bucket counts instead of the cases.
 *
 * Bucket 0 holds durations under one minute; bucket b ≥ 1 holds [2^((b−1)/16), 2^(b/16)) minutes,
 * 16 buckets per doubling, up to bucket 400 (about 60 years; longer durations fall in it too).
 * A value read back from its bucket is off by less than a factor 2^(1/16), i.e. under 4.5 %.
 */
export const BUCKETS_PER_DOUBLING = 16;
export const MAX_BUCKET = 400;
const MS_PER_MINUTE = 60_000;

/** The bucket of a duration in milliseconds (negative durations count as 0). */
export function bucketOf(ms: number): number {
  const minutes = ms / MS_PER_MINUTE;
  if (!(minutes >= 1)) return 0;
  return Math.min(MAX_BUCKET, Math.floor(BUCKETS_PER_DOUBLING * Math.log2(minutes)) + 1);
}

/** The bounds of a bucket in hours: [lower, upper). */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1 / 60];
  return [2 ** ((bucket - 1) / BUCKETS_PER_DOUBLING) / 60, 2 ** (bucket / BUCKETS_PER_DOUBLING) / 60];
}

/**
 * The median in hours of a histogram (bucket → count), rounded to 2 decimals; null when empty.
 * Like an exact median it is the middle value, or the mean of the two middle values for an even
 * count; the k-th of the n values in a bucket is read at (k − ½)/n of the way through it (linearly
 * in bucket 0, geometrically above), so each middle value is off by less than its bucket's width.
 */
export function histogramMedian(counts: ReadonlyMap<number, number>): number | null {
  const buckets = [...counts].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number): number => {
    let below = 0;
    for (const [bucket, n] of buckets) {
      if (below + n >= rank) {
        const [lo, hi] = bucketBounds(bucket);
        const f = (rank - below - 0.5) / n;
        return bucket === 0 ? lo + f * (hi - lo) : lo * (hi / lo) ** f;
      }
      below += n;
    }
    return bucketBounds(buckets[buckets.length - 1][0])[1];
  };
  const hours = total % 2 === 1 ? valueAt((total + 1) / 2) : (valueAt(total / 2) + valueAt(total / 2 + 1)) / 2;
  return Math.round(hours * 100) / 100;
}
