import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copies of what the projector writes today (libs/read-model/src/rollups): a migration
// never changes after it lands, whatever the code does later.
const SPANS = `'{1,8,64,512}'::int[]`;
const BUCKET_EDGES = `'{${Array.from({ length: 31 }, (_, power) => 2 ** power).join(',')}}'::int[]`;
const HISTOGRAM = Array.from(
  { length: 32 },
  (_, bucket) => `coalesce(sum(o.rollouts) FILTER (WHERE o.bucket = ${bucket}), 0)::bigint`,
).join(', ');
const FINISH_REASONS = ['stop', 'length', 'repeat', 'budget', 'tool_error', 'partial', 'aborted'];
const SUMS: Array<[column: string, perStep: string]> = [
  ['rollouts', 'count(*)'],
  ['response_tokens_sum', 'sum(response_tokens)'],
  ['prompt_tokens_sum', 'coalesce(sum(prompt_tokens), 0)'],
  ['prompt_tokens_count', 'count(prompt_tokens)'],
  ['turns_sum', 'coalesce(sum(num_turns), 0)'],
  ['turns_count', 'count(num_turns)'],
  ['tool_calls_sum', 'coalesce(sum(num_tool_calls), 0)'],
  ['tool_calls_count', 'count(num_tool_calls)'],
  ...FINISH_REASONS.map((reason): [string, string] => [
    `finish_${reason}`,
    `count(*) FILTER (WHERE finish_reason = '${reason}')`,
  ]),
  ['finish_none', 'count(*) FILTER (WHERE finish_reason IS NULL)'],
  ['continued', 'count(partial_of)'],
];

/**
 * Rollout statistics per RL run x block of steps, for rollout series: rollouts, response
 * tokens (sum, max, and a histogram by bit length for percentiles: bucket 0 holds 0 tokens,
 * bucket k holds 2^(k-1) .. 2^k - 1), prompt tokens, turns and tool calls (sum and how many
 * rollouts reported them), rollouts per finish reason ('none' when it gave none), and
 * rollouts that continue a partial one. `span` 1 rows are per step; rows of span 8, 64 and 512
 * merge the aligned block of that many steps starting at `step`, so that a series over a long
 * run reads few rows. The projector maintains them in the transaction that inserts the
 * rollouts, from the rows that insert actually made (a rollout id seen before adds nothing).
 * Backfilled here from the rollouts already projected.
 */
export class RolloutRollups1764800000000 implements MigrationInterface {
  name = 'RolloutRollups1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rollout_rollups (
        rl_run_id text NOT NULL,
        span integer NOT NULL,
        step integer NOT NULL,
        ${SUMS.map(([column]) => `${column} bigint NOT NULL`).join(',\n        ')},
        response_tokens_max integer NOT NULL,
        response_tokens_histogram bigint[] NOT NULL,
        PRIMARY KEY (rl_run_id, span, step)
      ) WITH (fillfactor = 70);
      INSERT INTO rollout_rollups
        (rl_run_id, span, step, ${SUMS.map(([column]) => column).join(', ')}, response_tokens_max,
         response_tokens_histogram)
      SELECT o.rl_run_id, s.span, s.step,
             ${SUMS.map(([column]) => `sum(o.${column})::bigint`).join(', ')},
             max(o.response_tokens_max), ARRAY[${HISTOGRAM}]
      FROM (
        SELECT rl_run_id, step, width_bucket(response_tokens, ${BUCKET_EDGES}) AS bucket,
               ${SUMS.map(([column, perStep]) => `${perStep} AS ${column}`).join(', ')},
               max(response_tokens) AS response_tokens_max
        FROM rollouts GROUP BY rl_run_id, step, bucket
      ) o
      CROSS JOIN LATERAL (SELECT span, o.step - o.step % span AS step FROM unnest(${SPANS}) AS span) s
      GROUP BY o.rl_run_id, s.span, s.step;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rollout_rollups`);
  }
}
