import { SERIES_SPANS_SQL } from './series-spans';

/**
 * Adds the rewards of a relation `inserted` (the rows an insert actually made: rl_run_id,
 * domain, kind, step, value, hack_flagged) to `reward_block_rollups`: per run x span x block x
 * (domain, kind), plus a row over all domains and kinds (domain and kind '', which no reward
 * has), so an unfiltered series reads one row per block. Rewards are first summed per step
 * (few rows), then per block of every span. Sums are numeric: any batching adds up exactly.
 */
export const REWARD_BLOCK_ROLLUP = `
  INSERT INTO reward_block_rollups AS b
    (rl_run_id, span, step, domain, kind, count, sum, sum_squares, min, max, verifiable_count,
     pass_count, hack_flagged_count)
  SELECT rl_run_id, span, step, coalesce(domain, ''), coalesce(kind, ''), count, sum, sum_squares,
         min, max, verifiable_count, pass_count, hack_flagged_count
  FROM (
    SELECT r.rl_run_id, s.span, s.step, r.domain, r.kind, sum(r.count)::bigint AS count,
           sum(r.sum) AS sum, sum(r.sum_squares) AS sum_squares, min(r.min) AS min, max(r.max) AS max,
           sum(r.verifiable_count)::bigint AS verifiable_count, sum(r.pass_count)::bigint AS pass_count,
           sum(r.hack_flagged_count)::bigint AS hack_flagged_count
    FROM (
      SELECT rl_run_id, step, domain, kind, count(*) AS count, sum(value::numeric) AS sum,
             sum(value::numeric * value::numeric) AS sum_squares, min(value) AS min, max(value) AS max,
             count(*) FILTER (WHERE kind = 'verifiable') AS verifiable_count,
             count(*) FILTER (WHERE kind = 'verifiable' AND value = 1) AS pass_count,
             count(*) FILTER (WHERE hack_flagged) AS hack_flagged_count
      FROM inserted GROUP BY rl_run_id, step, domain, kind
    ) r
    CROSS JOIN LATERAL (SELECT span, r.step - r.step % span AS step FROM unnest(${SERIES_SPANS_SQL}) AS span) s
    GROUP BY GROUPING SETS ((r.rl_run_id, s.span, s.step, r.domain, r.kind), (r.rl_run_id, s.span, s.step))
  ) blocks
  -- Key order: fewer index pages touched per batch, and concurrent writers lock in one order.
  ORDER BY rl_run_id, span, step, 4, 5
  ON CONFLICT (rl_run_id, span, step, domain, kind) DO UPDATE SET
    count = b.count + EXCLUDED.count,
    sum = b.sum + EXCLUDED.sum,
    sum_squares = b.sum_squares + EXCLUDED.sum_squares,
    min = LEAST(b.min, EXCLUDED.min),
    max = GREATEST(b.max, EXCLUDED.max),
    verifiable_count = b.verifiable_count + EXCLUDED.verifiable_count,
    pass_count = b.pass_count + EXCLUDED.pass_count,
    hack_flagged_count = b.hack_flagged_count + EXCLUDED.hack_flagged_count`;
