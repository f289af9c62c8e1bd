import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What is wrong with a dataset version's members, kept by the projector as members, trajectories,
 * tasks and tools arrive (in whatever order), so that an audit of a 50,000-member version reads
 * a handful of rows instead of joining every member with its trajectory:
 *
 * - dataset_member_issues: a member with no row yet (unknown), a trajectory member the judge
 *   rejected, a trajectory member calling a tool that is not registered (one row per tool);
 * - dataset_version_runs: how many of a version's trajectory members each synthesis run produced
 *   (a run's status can change later; the audit reads it then).
 *
 * Backfilled here from what is already projected.
 */
export class DatasetMemberIssues1764720000000 implements MigrationInterface {
  name = 'DatasetMemberIssues1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dataset_member_issues (
        dataset_id text NOT NULL,
        version integer NOT NULL,
        issue text NOT NULL
          CHECK (issue IN ('unknown_trajectory', 'unknown_task', 'rejected', 'unregistered_tool')),
        member_id text NOT NULL,
        -- The unregistered tool's id; '' for the other issues.
        tool_id text NOT NULL DEFAULT '',
        PRIMARY KEY (dataset_id, version, issue, member_id, tool_id)
      );
      -- Resolved when the member's trajectory or task arrives, or when the tool is registered.
      CREATE INDEX dataset_member_issues_unknown_idx ON dataset_member_issues (member_id)
        WHERE issue IN ('unknown_trajectory', 'unknown_task');
      CREATE INDEX dataset_member_issues_tool_idx ON dataset_member_issues (tool_id)
        WHERE issue = 'unregistered_tool';

      CREATE TABLE dataset_version_runs (
        dataset_id text NOT NULL,
        version integer NOT NULL,
        synthesis_run_id text NOT NULL,
        members integer NOT NULL,
        PRIMARY KEY (dataset_id, version, synthesis_run_id)
      );

      -- A trajectory or task arriving finds the versions holding it; a batch finds its new members.
      CREATE INDEX dataset_members_member_idx ON dataset_members (member_id);
      CREATE INDEX dataset_members_position_idx ON dataset_members (position);
    `);
    await queryRunner.query(`
      INSERT INTO dataset_member_issues (dataset_id, version, issue, member_id, tool_id)
      SELECT m.dataset_id, m.version, 'unknown_trajectory', m.member_id, '' FROM dataset_members m
      WHERE m.member_kind = 'trajectory'
        AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.trajectory_id = m.member_id)
      UNION ALL
      SELECT m.dataset_id, m.version, 'unknown_task', m.member_id, '' FROM dataset_members m
      WHERE m.member_kind = 'task' AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.task_id = m.member_id)
      UNION ALL
      SELECT m.dataset_id, m.version, 'rejected', m.member_id, '' FROM dataset_members m
      JOIN trajectories t ON t.trajectory_id = m.member_id
      WHERE m.member_kind = 'trajectory' AND NOT t.passed
      UNION ALL
      SELECT DISTINCT m.dataset_id, m.version, 'unregistered_tool', m.member_id, called.tool_id
      FROM dataset_members m
      JOIN trajectories t ON t.trajectory_id = m.member_id
      CROSS JOIN LATERAL unnest(t.called_tool_ids) AS called (tool_id)
      WHERE m.member_kind = 'trajectory'
        AND NOT EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = called.tool_id);

      INSERT INTO dataset_version_runs (dataset_id, version, synthesis_run_id, members)
      SELECT m.dataset_id, m.version, t.synthesis_run_id, count(*) FROM dataset_members m
      JOIN trajectories t ON t.trajectory_id = m.member_id
      WHERE m.member_kind = 'trajectory'
      GROUP BY 1, 2, 3;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX dataset_members_position_idx, dataset_members_member_idx;
      DROP TABLE dataset_version_runs, dataset_member_issues;
    `);
  }
}
