import type { MigrationInterface, QueryRunner } from 'typeorm';

// A frozen copy of the spans the projector writes today (libs/read-model/src/rollups).
const SPANS = `'{1,8,64,512}'::int[]`;

/**
 * Reward rollups for series: per RL run x block of steps x (domain, kind), merged over judges,
 * plus one row per block over all domains and kinds (domain and kind '', which no reward has).
 * `span` 1 rows are per step; rows of span 8, 64 and 512 merge the aligned block of that many
 * steps starting at `step`: a series of 500 points over 100,000 steps then reads about 5,000
 * rows instead of the 100,000 x domains x judges of `reward_rollups`.
 * `verifiable_count` counts the verifiable rewards, the denominator of a pass rate over
 * mixed kinds. Maintained by the projector next to `reward_rollups`, from the same inserted
 * rows; backfilled here from `reward_rollups` (numeric sums: the same figures as live).
 */
export class RewardBlockRollups1764803600000 implements MigrationInterface {
  name = 'RewardBlockRollups1764803600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reward_block_rollups (
        rl_run_id text NOT NULL,
        span integer NOT NULL,
        step integer NOT NULL,
        domain text NOT NULL,
        kind text NOT NULL,
        count bigint NOT NULL,
        sum numeric NOT NULL,
        sum_squares numeric NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        verifiable_count bigint NOT NULL,
        pass_count bigint NOT NULL,
        hack_flagged_count bigint NOT NULL,
        PRIMARY KEY (rl_run_id, span, step, domain, kind)
      ) WITH (fillfactor = 70);
      INSERT INTO reward_block_rollups
        (rl_run_id, span, step, domain, kind, count, sum, sum_squares, min, max, verifiable_count,
         pass_count, hack_flagged_count)
      SELECT rl_run_id, span, step, coalesce(domain, ''), coalesce(kind, ''), count, sum,
             sum_squares, min, max, verifiable_count, pass_count, hack_flagged_count
      FROM (
        SELECT r.rl_run_id, s.span, s.step, r.domain, r.kind, sum(r.count)::bigint AS count,
               sum(r.sum) AS sum, sum(r.sum_squares) AS sum_squares, min(r.min) AS min,
               max(r.max) AS max,
               coalesce(sum(r.count) FILTER (WHERE r.kind = 'verifiable'), 0)::bigint AS verifiable_count,
               sum(r.pass_count)::bigint AS pass_count,
               sum(r.hack_flagged_count)::bigint AS hack_flagged_count
        FROM reward_rollups r
        CROSS JOIN LATERAL (SELECT span, r.step - r.step % span AS step FROM unnest(${SPANS}) AS span) s
        GROUP BY GROUPING SETS ((r.rl_run_id, s.span, s.step, r.domain, r.kind), (r.rl_run_id, s.span, s.step))
      ) blocks;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reward_block_rollups`);
  }
}
