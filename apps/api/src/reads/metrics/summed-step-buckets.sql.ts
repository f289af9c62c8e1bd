// Series over steps read from per-step rows, merged exactly into at most maxPoints buckets: the
// window runs from fromStep (else the first step with data in any of the runs asked for,
// whatever the other filters, so that filtered series share the grid) to toStep (else the
// last), buckets
// are ceil(span / maxPoints) steps wide (span = last - first + 1) and aligned at the window's
// first step, and a bucket sums the counts of its steps (shares are recomputed from the sums).
// The same buckets as the reward and rollout series (step-buckets.sql), for tables small enough
// to be read step by step (a few rows per step and key). Step arithmetic is bigint: a window
// can span 2^31 steps.

/**
 * A CTE `bucketing (first, last, width)` over the rows of `source` (a CTE with a `step`
 * column); the other arguments are the placeholders of fromStep, toStep and maxPoints.
 */
export const bucketingCte = (
  source: string,
  fromStep: string,
  toStep: string,
  maxPoints: string,
) => `
  bucketing AS (
    SELECT first, last, (last - first) / ${maxPoints}::bigint + 1 AS width
    FROM (
      SELECT coalesce(${fromStep}::bigint, min(step)) AS first,
             coalesce(${toStep}::bigint, max(step)) AS last
      FROM ${source}
    ) AS bounds
  )`;

/** The first step of the bucket of `picked.step` (alias p) in `bucketing` (alias b). */
export const BUCKET_START = 'b.first + (p.step - b.first) / b.width * b.width';

/** The last step a bucket covers: its width, cut at the window's end. */
export const lastStepOf = (bucket: number, width: number, last: number): number =>
  Math.min(bucket + width - 1, last);
