import { RESPONSE_TOKEN_BUCKETS, responseTokenBucketSql } from './response-token-histogram';
import { SERIES_SPANS_SQL } from './series-spans';

/** The rollout columns {@link ROLLOUT_ROLLUP} reads of `inserted`. */
export const ROLLOUT_ROLLUP_INPUTS = [
  'rl_run_id',
  'step',
  'response_tokens',
  'prompt_tokens',
  'num_turns',
  'num_tool_calls',
  'finish_reason',
  'partial_of',
] as const;

/** Rollouts per finish reason: the column of each reason, and of rollouts that gave none. */
export const FINISH_REASON_COLUMNS = {
  stop: 'finish_stop',
  length: 'finish_length',
  repeat: 'finish_repeat',
  budget: 'finish_budget',
  tool_error: 'finish_tool_error',
  partial: 'finish_partial',
  aborted: 'finish_aborted',
  none: 'finish_none',
} as const;

/**
 * The additive columns of `rollout_rollups`, each with how one step's rollouts make it.
 * Optional fields (prompt tokens, turns, tool calls) keep a sum and how many rollouts gave
 * one, so that their means are over the rollouts that reported them.
 */
const SUMS: ReadonlyArray<readonly [column: string, perStep: string]> = [
  ['rollouts', 'count(*)'],
  ['response_tokens_sum', 'sum(response_tokens)'],
  ['prompt_tokens_sum', 'coalesce(sum(prompt_tokens), 0)'],
  ['prompt_tokens_count', 'count(prompt_tokens)'],
  ['turns_sum', 'coalesce(sum(num_turns), 0)'],
  ['turns_count', 'count(num_turns)'],
  ['tool_calls_sum', 'coalesce(sum(num_tool_calls), 0)'],
  ['tool_calls_count', 'count(num_tool_calls)'],
  ...Object.entries(FINISH_REASON_COLUMNS).map(
    ([reason, column]) =>
      [
        column,
        reason === 'none'
          ? 'count(*) FILTER (WHERE finish_reason IS NULL)'
          : `count(*) FILTER (WHERE finish_reason = '${reason}')`,
      ] as const,
  ),
  // Rollouts that continue a partial one (partialOf set).
  ['continued', 'count(partial_of)'],
];

/** Columns of `rollout_rollups` that merge by addition (all but the key, max and histogram). */
export const ROLLOUT_ROLLUP_SUMS: readonly string[] = SUMS.map(([column]) => column);

const histogramOfBuckets = Array.from(
  { length: RESPONSE_TOKEN_BUCKETS },
  (_, bucket) => `coalesce(sum(o.rollouts) FILTER (WHERE o.bucket = ${bucket}), 0)::bigint`,
).join(', ');

/**
 * Adds the rollouts of a relation `inserted` (the rows an insert actually made, with
 * {@link ROLLOUT_ROLLUP_INPUTS}) to `rollout_rollups`, per run x span x block. Rollouts are
 * first counted per step and response-token bucket (few rows), then per block of every span.
 */
export const ROLLOUT_ROLLUP = `
  INSERT INTO rollout_rollups AS r
    (rl_run_id, span, step, ${ROLLOUT_ROLLUP_SUMS.join(', ')}, response_tokens_max,
     response_tokens_histogram)
  SELECT o.rl_run_id, s.span, s.step,
         ${ROLLOUT_ROLLUP_SUMS.map((column) => `sum(o.${column})::bigint`).join(', ')},
         max(o.response_tokens_max), ARRAY[${histogramOfBuckets}]
  FROM (
    SELECT rl_run_id, step, ${responseTokenBucketSql('response_tokens')} AS bucket,
           ${SUMS.map(([column, perStep]) => `${perStep} AS ${column}`).join(', ')},
           max(response_tokens) AS response_tokens_max
    FROM inserted GROUP BY rl_run_id, step, bucket
  ) o
  CROSS JOIN LATERAL (SELECT span, o.step - o.step % span AS step FROM unnest(${SERIES_SPANS_SQL}) AS span) s
  GROUP BY o.rl_run_id, s.span, s.step
  ORDER BY o.rl_run_id, s.span, s.step
  ON CONFLICT (rl_run_id, span, step) DO UPDATE SET
    ${ROLLOUT_ROLLUP_SUMS.map((column) => `${column} = r.${column} + EXCLUDED.${column}`).join(', ')},
    response_tokens_max = GREATEST(r.response_tokens_max, EXCLUDED.response_tokens_max),
    response_tokens_histogram = ARRAY(
      SELECT stored + added FROM unnest(r.response_tokens_histogram, EXCLUDED.response_tokens_histogram)
        WITH ORDINALITY AS bucket (stored, added, place) ORDER BY place)`;
