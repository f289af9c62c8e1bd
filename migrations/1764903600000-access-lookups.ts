import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faster project lookups (see 1764900000000-access-control), measured by bench/access:
 *
 * - tracker_projects_of resolves what hangs off a run in one statement of scalar subqueries,
 *   instead of calling a function per level (each call of a SQL function with a sub-SELECT is
 *   planned and run on its own: 120-160 µs per reward, now a few tens).
 * - Task members of a dataset version get a partial index: the generic plan of
 *   tracker_dataset_projects read every row of dataset_members (20-30 ms per check on 86,000
 *   rows, growing with all datasets), now about 1 ms.
 *
 * Same answers as before.
 */
export class AccessLookups1764903600000 implements MigrationInterface {
  name = 'AccessLookups1764903600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX dataset_members_task_members_idx ON dataset_members (dataset_id, version)
        WHERE member_kind = 'task';

      CREATE OR REPLACE FUNCTION tracker_projects_of(kind text, id text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT CASE
          WHEN kind IN ('tool', 'verifier') THEN '{}'::text[]
          WHEN kind IN ('rl_run', 'checkpoint', 'rollout', 'reward', 'comparison',
                        'critic_version', 'evaluation') THEN
            (SELECT ARRAY[r.project] FROM rl_runs r
             WHERE r.project IS NOT NULL AND r.rl_run_id = CASE kind
               WHEN 'rl_run' THEN id
               WHEN 'checkpoint' THEN (SELECT rl_run_id FROM checkpoints WHERE checkpoint_id = id)
               WHEN 'rollout' THEN (SELECT rl_run_id FROM rollouts WHERE rollout_id = id)
               WHEN 'reward' THEN (SELECT rl_run_id FROM rewards WHERE reward_id = id)
               WHEN 'comparison' THEN (SELECT rl_run_id FROM critic_comparisons
                                       WHERE comparison_id = id)
               WHEN 'critic_version' THEN (SELECT rl_run_id FROM critic_versions
                                           WHERE critic_version_id = id)
               WHEN 'evaluation' THEN (SELECT c.rl_run_id FROM evaluations e
                                       JOIN checkpoints c ON c.checkpoint_id = e.checkpoint_id
                                       WHERE e.evaluation_id = id)
             END)
          WHEN kind IN ('synthesis_run', 'trajectory') THEN
            (SELECT ARRAY[s.project] FROM synthesis_runs s
             WHERE s.project IS NOT NULL AND s.synthesis_run_id = CASE kind
               WHEN 'synthesis_run' THEN id
               ELSE (SELECT synthesis_run_id FROM trajectories WHERE trajectory_id = id)
             END)
          WHEN kind = 'agent' THEN tracker_agent_projects(id)
          WHEN kind = 'task' THEN tracker_task_projects(id)
          -- DATASET@VERSION: the version is after the last "@".
          WHEN kind = 'dataset_version' THEN tracker_dataset_projects(
            substring(id FROM '^(.*)@[0-9]+$'), substring(id FROM '@([0-9]+)$')::integer)
          WHEN kind = 'dataset' THEN tracker_dataset_projects(id, NULL)
        END
      $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX dataset_members_task_members_idx;
      CREATE OR REPLACE FUNCTION tracker_projects_of(kind text, id text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT CASE kind
          WHEN 'tool' THEN '{}'::text[]
          WHEN 'verifier' THEN '{}'::text[]
          WHEN 'rl_run' THEN tracker_run_projects(id)
          WHEN 'synthesis_run' THEN tracker_synthesis_projects(id)
          WHEN 'agent' THEN tracker_agent_projects(id)
          WHEN 'task' THEN tracker_task_projects(id)
          WHEN 'trajectory' THEN (SELECT tracker_synthesis_projects(synthesis_run_id)
                                  FROM trajectories WHERE trajectory_id = id)
          WHEN 'checkpoint' THEN (SELECT tracker_run_projects(rl_run_id)
                                  FROM checkpoints WHERE checkpoint_id = id)
          WHEN 'rollout' THEN (SELECT tracker_run_projects(rl_run_id)
                               FROM rollouts WHERE rollout_id = id)
          WHEN 'reward' THEN (SELECT tracker_run_projects(rl_run_id)
                              FROM rewards WHERE reward_id = id)
          WHEN 'comparison' THEN (SELECT tracker_run_projects(rl_run_id)
                                  FROM critic_comparisons WHERE comparison_id = id)
          WHEN 'critic_version' THEN (SELECT tracker_run_projects(rl_run_id)
                                      FROM critic_versions WHERE critic_version_id = id)
          WHEN 'evaluation' THEN (SELECT tracker_run_projects(c.rl_run_id) FROM evaluations e
                                  JOIN checkpoints c ON c.checkpoint_id = e.checkpoint_id
                                  WHERE e.evaluation_id = id)
          WHEN 'dataset_version' THEN tracker_dataset_projects(
            substring(id FROM '^(.*)@[0-9]+$'), substring(id FROM '@([0-9]+)$')::integer)
          WHEN 'dataset' THEN tracker_dataset_projects(id, NULL)
        END
      $$;
    `);
  }
}
