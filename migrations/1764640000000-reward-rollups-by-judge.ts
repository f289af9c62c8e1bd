import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reward rollups get their judge in the key (the verifier name and version, the critic version;
 * '' where the reward names none): "which runs and steps did verifier math@1.3 score" is then
 * read from a few rollup rows instead of millions of rewards, and metrics still sum over judges.
 * Existing rollups are rebuilt from the rewards (numeric sums: the same figures as live).
 */
export class RewardRollupsByJudge1764640000000 implements MigrationInterface {
  name = 'RewardRollupsByJudge1764640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE reward_rollups
        DROP CONSTRAINT reward_rollups_pkey,
        ADD COLUMN verifier_name text NOT NULL DEFAULT '',
        ADD COLUMN verifier_version text NOT NULL DEFAULT '',
        ADD COLUMN critic_version_id text NOT NULL DEFAULT '';
      TRUNCATE reward_rollups;
      INSERT INTO reward_rollups
        (rl_run_id, domain, kind, step, verifier_name, verifier_version, critic_version_id,
         count, sum, sum_squares, min, max, pass_count, hack_flagged_count)
      SELECT rl_run_id, domain, kind, step, coalesce(verifier_name, ''),
             coalesce(verifier_version, ''), coalesce(critic_version_id, ''),
             count(*), sum(value::numeric), sum(value::numeric * value::numeric), min(value), max(value),
             count(*) FILTER (WHERE kind = 'verifiable' AND value = 1),
             count(*) FILTER (WHERE hack_flagged)
      FROM rewards GROUP BY 1, 2, 3, 4, 5, 6, 7;
      ALTER TABLE reward_rollups ADD PRIMARY KEY
        (rl_run_id, domain, kind, step, verifier_name, verifier_version, critic_version_id);
      CREATE INDEX reward_rollups_verifier_idx ON reward_rollups (verifier_name, verifier_version, rl_run_id)
        WHERE verifier_name <> '';
      CREATE INDEX reward_rollups_critic_idx ON reward_rollups (critic_version_id, rl_run_id)
        WHERE critic_version_id <> '';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TEMP TABLE merged ON COMMIT DROP AS
        SELECT rl_run_id, domain, kind, step, sum(count) AS count, sum(sum) AS sum,
               sum(sum_squares) AS sum_squares, min(min) AS min, max(max) AS max,
               sum(pass_count) AS pass_count, sum(hack_flagged_count) AS hack_flagged_count
        FROM reward_rollups GROUP BY 1, 2, 3, 4;
      DROP INDEX reward_rollups_verifier_idx, reward_rollups_critic_idx;
      ALTER TABLE reward_rollups DROP CONSTRAINT reward_rollups_pkey,
        DROP COLUMN verifier_name, DROP COLUMN verifier_version, DROP COLUMN critic_version_id;
      TRUNCATE reward_rollups;
      INSERT INTO reward_rollups
        (rl_run_id, domain, kind, step, count, sum, sum_squares, min, max, pass_count, hack_flagged_count)
      SELECT * FROM merged;
      ALTER TABLE reward_rollups ADD PRIMARY KEY (rl_run_id, domain, kind, step);
    `);
  }
}
