import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access control.
 *
 * - api_keys: keys for the API's doors. Only the SHA-256 of a key is stored (keys are 32
 *   random bytes, so a fast hash is enough: there is nothing to guess); `scopes` among ingest,
 *   read, admin; `projects` NULL for every project. Not a projection: replay leaves it alone.
 * - tracker_projects_of(kind, id): the projects an entity belongs to, by its lineage node kind.
 *   A run's project is the one its started event names; what hangs off a run (checkpoints,
 *   rollouts, rewards, comparisons, critic versions, evaluations, trajectories, agents of a
 *   synthesis run, tasks of such agents) has its run's; a dataset version has its members'.
 *   '{}' for catalog entities every reader may see (tools, verifiers, agents and tasks of no
 *   run); NULL when not known yet (a run whose started event has not been projected, or what
 *   hangs off one): only readers of every project see those.
 */
export class AccessControl1764900000000 implements MigrationInterface {
  name = 'AccessControl1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_keys (
        key_id text PRIMARY KEY,
        name text NOT NULL,
        token_sha256 bytea NOT NULL UNIQUE,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['ingest', 'read', 'admin'] AND cardinality(scopes) > 0),
        projects text[],
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );

      CREATE FUNCTION tracker_run_projects(rl_run text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT ARRAY[project] FROM rl_runs WHERE rl_run_id = rl_run AND project IS NOT NULL
      $$;

      CREATE FUNCTION tracker_synthesis_projects(synthesis_run text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT ARRAY[project] FROM synthesis_runs
        WHERE synthesis_run_id = synthesis_run AND project IS NOT NULL
      $$;

      CREATE FUNCTION tracker_agent_projects(agent text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN a.synthesis_run_id IS NULL THEN '{}'::text[]
                    ELSE tracker_synthesis_projects(a.synthesis_run_id) END
        FROM agents a WHERE a.agent_id = agent
      $$;

      CREATE FUNCTION tracker_task_projects(task text) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN t.agent_id IS NULL THEN '{}'::text[]
                    ELSE tracker_agent_projects(t.agent_id) END
        FROM tasks t WHERE t.task_id = task
      $$;

      -- Every project its known members come from; NULL if one of them has none yet.
      CREATE FUNCTION tracker_dataset_projects(dataset text, dataset_version integer) RETURNS text[]
      LANGUAGE sql STABLE AS $$
        WITH task_runs AS (
          SELECT DISTINCT a.agent_id IS NULL AS unknown_agent, a.synthesis_run_id
          FROM dataset_members m
          JOIN tasks t ON t.task_id = m.member_id
          LEFT JOIN agents a ON a.agent_id = t.agent_id
          WHERE m.dataset_id = dataset AND (dataset_version IS NULL OR m.version = dataset_version)
            AND m.member_kind = 'task' AND t.agent_id IS NOT NULL
        ), member_projects AS (
          SELECT tracker_synthesis_projects(r.synthesis_run_id) AS projects
          FROM dataset_version_runs r
          WHERE r.dataset_id = dataset AND (dataset_version IS NULL OR r.version = dataset_version)
          UNION ALL
          SELECT CASE WHEN unknown_agent THEN NULL
                      WHEN synthesis_run_id IS NULL THEN '{}'::text[]
                      ELSE tracker_synthesis_projects(synthesis_run_id) END
          FROM task_runs
        )
        SELECT CASE WHEN bool_or(projects IS NULL) THEN NULL
                    ELSE coalesce(array_agg(DISTINCT p) FILTER (WHERE p IS NOT NULL), '{}') END
        FROM member_projects LEFT JOIN LATERAL unnest(projects) AS p ON true
      $$;

      -- kind: a lineage node kind, or 'dataset' (every version of a dataset: id is its id).
      CREATE FUNCTION tracker_projects_of(kind text, id text) RETURNS text[]
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
          -- DATASET@VERSION: the version is after the last "@".
          WHEN 'dataset_version' THEN tracker_dataset_projects(
            substring(id FROM '^(.*)@[0-9]+$'), substring(id FROM '@([0-9]+)$')::integer)
          WHEN 'dataset' THEN tracker_dataset_projects(id, NULL)
        END
      $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP FUNCTION tracker_projects_of(text, text);
      DROP FUNCTION tracker_dataset_projects(text, integer);
      DROP FUNCTION tracker_task_projects(text);
      DROP FUNCTION tracker_agent_projects(text);
      DROP FUNCTION tracker_synthesis_projects(text);
      DROP FUNCTION tracker_run_projects(text);
      DROP TABLE api_keys;
    `);
  }
}
