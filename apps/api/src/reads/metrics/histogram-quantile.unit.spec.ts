import { histogramQuantile } from './histogram-quantile';

const histogramOf = (values: number[]) => {
  const counts = new Array<number>(32).fill(0);
  for (const value of values) counts[32 - Math.clz32(value)]++;
  return counts;
};

describe('histogramQuantile', () => {
  it('interpolates inside the bucket that holds the rank, by the rank among its values', () => {
    // 20 values: ranks 1-10 in bucket 4 (8..15), 11-20 in bucket 7 (64..127); p95 is rank 19,
    // the 9th of 10 in 64..127: 64 + 63 * 9 / 10.
    const values = [...new Array<number>(10).fill(9), ...new Array<number>(10).fill(100)];
    expect(histogramQuantile(histogramOf(values), 0.95, 200)).toBeCloseTo(64 + 56.7, 10);
    expect(histogramQuantile(histogramOf(values), 0.5, 200)).toBe(15);
  });

  it('never goes past the largest value seen, and stays in the true quantile bucket', () => {
    const values = [0, 1, 3, 1000, 1000, 1000];
    const estimate = histogramQuantile(histogramOf(values), 0.95, 1000)!;
    expect(estimate).toBe(1000);
    expect(histogramQuantile(histogramOf([0, 0, 0]), 0.95, 0)).toBe(0);
    expect(histogramQuantile(histogramOf([2 ** 31 - 1]), 0.95, 2 ** 31 - 1)).toBe(2 ** 31 - 1);
  });

  it('is null for an empty histogram', () => {
    expect(histogramQuantile(new Array<number>(32).fill(0), 0.95, 0)).toBeNull();
  });
});
