import { responseTokenBucketBounds } from '@tracker/read-model';

/**
 * The q-quantile (0 < q <= 1) of values counted in the response-token histogram (bucket k: the
 * values with bit length k), estimated: the bucket holding the value of rank ceil(q * n) is
 * found exactly; within it the value is interpolated linearly between the bucket's smallest
 * and largest value by the rank's place among the bucket's values, and capped at `max`, the
 * largest value seen. The true quantile lies in the same bucket, so the estimate is off by
 * less than the bucket's width (under a factor of 2). Null for an empty histogram.
 */
export function histogramQuantile(
  histogram: readonly number[],
  q: number,
  max: number,
): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let below = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    const count = histogram[bucket];
    if (below + count >= rank) {
      const { low, high } = responseTokenBucketBounds(bucket);
      return Math.min(max, low + ((high - low) * (rank - below)) / count);
    }
    below += count;
  }
  // Unreachable: the ranks run up to the total.
  throw new Error(`rank ${rank} beyond a histogram of ${total}`);
}
