import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A task or a policy checkpoint can have hundreds of thousands of rollouts. Walking lineage
 * downstream from one needs them grouped, not listed: `rollout_links` keeps, per target node
 * (`task:ID`, `checkpoint:ID`) and RL run, how many rollouts point at it and over which steps,
 * maintained with each batch (a few rows per batch, cheaper than more indexes on rollouts).
 * `continues` links are rare: a partial index finds them.
 *
 * Aggregates are updated in place batch after batch: with room left on each page (fillfactor)
 * those updates stay on the page (HOT) and old versions are pruned there, instead of the table
 * growing to many times its rows between vacuums (45 MB for 10,000 rows in bench/lineage).
 */
export class RolloutLinks1764646400000 implements MigrationInterface {
  name = 'RolloutLinks1764646400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE rollout_links (
        target text NOT NULL,
        rl_run_id text NOT NULL,
        count bigint NOT NULL,
        first_step integer NOT NULL,
        last_step integer NOT NULL,
        PRIMARY KEY (target, rl_run_id)
      ) WITH (fillfactor = 70);
      -- A run's rollouts counted without scanning them: the sum over its task links.
      CREATE INDEX rollout_links_run_idx ON rollout_links (rl_run_id) WHERE target LIKE 'task:%';
      INSERT INTO rollout_links (target, rl_run_id, count, first_step, last_step)
      SELECT target, rl_run_id, count(*), min(step), max(step)
      FROM rollouts
      CROSS JOIN LATERAL (VALUES ('task:' || task_id), ('checkpoint:' || policy_checkpoint_id)) AS t (target)
      WHERE target IS NOT NULL
      GROUP BY target, rl_run_id;
      CREATE INDEX rollouts_partial_of_idx ON rollouts (partial_of, position)
        WHERE partial_of IS NOT NULL;
      ALTER TABLE reward_rollups SET (fillfactor = 70);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE reward_rollups RESET (fillfactor);
      DROP INDEX rollouts_partial_of_idx;
      DROP TABLE rollout_links;
    `);
  }
}
