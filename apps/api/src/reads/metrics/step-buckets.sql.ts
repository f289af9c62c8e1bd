/**
 * The common part of a series statement over a rollup table keyed (rl_run_id, span, step, ...)
 * whose rows of span s merge the aligned block of s steps starting at `step` (see
 * libs/read-model/src/rollups/series-spans.ts). Parameters: $1 the runs (text[], in answer
 * order), $2 fromStep and $3 toStep (null: the first and last step of the runs' rows), $4
 * maxPoints, $5 the spans (bigint[], ascending); the key filter may use $6 on.
 *
 * Buckets are `width` = ceil((toStep - fromStep + 1) / maxPoints) steps wide, aligned at
 * fromStep. Each bucket is tiled exactly once by whole blocks: blocks of the largest span that
 * fits a bucket ("top"), and, inside each block that straddles a bucket edge (or the range's
 * ends), its children one span down that lie wholly in one bucket, recursively down to single
 * steps. So a bucket reads fewer than 2 x 7 rows per span below the top plus its top blocks,
 * each row found by a primary-key range scan. Bucket arithmetic is bigint: steps go to 2^31-1.
 *
 * Defines the CTEs `runs` (run, ord), `bounds` (lo, hi, width: one row, nulls when the runs
 * have no rows and no range was given) and `pieces` (ord, bucket, and `columns` of the table).
 */
export function stepBucketPieces(
  table: string,
  columns: readonly string[],
  keyFilter = 'true',
): string {
  const selected = columns.map((column) => `t.${column}`).join(', ');
  return `
    runs AS (SELECT run, ord FROM unnest($1::text[]) WITH ORDINALITY AS r (run, ord)),
    data_range AS (
      SELECT min(first.step)::bigint AS first, max(last.step)::bigint AS last FROM runs
      LEFT JOIN LATERAL (
        SELECT step FROM ${table} WHERE rl_run_id = runs.run AND span = 1 ORDER BY step LIMIT 1
      ) first ON true
      LEFT JOIN LATERAL (
        SELECT step FROM ${table} WHERE rl_run_id = runs.run AND span = 1 ORDER BY step DESC LIMIT 1
      ) last ON true
    ),
    bounds AS (
      SELECT lo, hi, (hi - lo) / $4 + 1 AS width FROM (
        SELECT coalesce($2::bigint, LEAST(first, $3::bigint)) AS lo,
               coalesce($3::bigint, GREATEST(last, $2::bigint)) AS hi
        FROM data_range
      ) range
    ),
    spans AS (
      SELECT span, lead(span) OVER (ORDER BY span) AS parent
      FROM bounds, unnest($5::bigint[]) AS span WHERE span <= bounds.width
    ),
    edges AS (
      SELECT DISTINCT x FROM bounds CROSS JOIN LATERAL (
        SELECT lo + i * width FROM generate_series(1::bigint, (hi - lo) / width) AS i
        UNION ALL VALUES (lo), (hi)
      ) AS edge (x)
    ),
    -- Ranges of block starts to read, per span: all of the range for the top span, and for
    -- each lower span the children of every straddling parent.
    blocks AS (
      SELECT top.span, b.lo AS first, b.hi - top.span + 1 AS last
      FROM spans top, bounds b WHERE top.parent IS NULL
      UNION
      SELECT s.span, GREATEST(p.start, b.lo), LEAST(p.start + s.parent - 1, b.hi) - s.span + 1
      FROM spans s CROSS JOIN edges CROSS JOIN bounds b
      CROSS JOIN LATERAL (SELECT edges.x - edges.x % s.parent AS start) p
      WHERE s.parent IS NOT NULL
        AND NOT (p.start >= b.lo AND p.start + s.parent - 1 <= b.hi
                 AND (p.start - b.lo) / b.width = (p.start + s.parent - 1 - b.lo) / b.width)
    ),
    pieces AS (
      SELECT runs.ord, piece.* FROM runs CROSS JOIN bounds b CROSS JOIN blocks k
      CROSS JOIN LATERAL (
        SELECT (t.step - b.lo) / b.width AS bucket, ${selected}
        FROM ${table} t
        WHERE t.rl_run_id = runs.run AND t.span = k.span AND t.step BETWEEN k.first AND k.last
          AND ${keyFilter}
          AND (t.step - b.lo) / b.width = (t.step + k.span - 1 - b.lo) / b.width
        OFFSET 0 -- keeps this a range scan per block range (not one join over the whole run)
      ) piece
    )`;
}
