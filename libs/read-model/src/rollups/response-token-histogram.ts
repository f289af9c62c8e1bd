/**
 * The fixed histogram of response tokens kept per rollout rollup: 32 buckets by bit length.
 * Bucket 0 holds 0 tokens; bucket k (1..31) holds 2^(k-1) .. 2^k - 1 tokens, so bucket 31
 * ends at 2^31 - 1, the largest count an event may carry. Stored as bigint[32] (Postgres
 * arrays count from 1: element k + 1 is bucket k).
 */
export const RESPONSE_TOKEN_BUCKETS = 32;

/** The smallest and largest token count of a bucket. */
export function responseTokenBucketBounds(bucket: number): { low: number; high: number } {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= RESPONSE_TOKEN_BUCKETS)
    throw new RangeError(`no response token bucket ${bucket}`);
  return bucket === 0 ? { low: 0, high: 0 } : { low: 2 ** (bucket - 1), high: 2 ** bucket - 1 };
}

/** SQL for the bucket of an integer expression: its bit length (width_bucket on powers of 2). */
export const responseTokenBucketSql = (expression: string): string =>
  `width_bucket(${expression}, '{${Array.from({ length: RESPONSE_TOKEN_BUCKETS - 1 }, (_, power) => 2 ** power).join(',')}}'::int[])`;
