import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dataset audits, diffs, exports and audit trails. An audit checks every member of a version
 * (50,000 and more) against the trajectories and tasks, so those lookups must be index-only and
 * compare bytes (COLLATE "C": code point order, the content hash's order) rather than go
 * through the database's locale. Run lifecycle and seal events are found among their
 * subject's events by a small partial index: an RL run's subject also holds millions of
 * rollouts and rewards.
 */
export class DatasetAudit1764633600000 implements MigrationInterface {
  name = 'DatasetAudit1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- A version's members in code point order, with what audits and as-of views read of them.
      CREATE INDEX dataset_members_code_point_idx
        ON dataset_members (dataset_id, version, member_id COLLATE "C") INCLUDE (member_kind, position);

      -- One index-only probe per trajectory member: is it recorded, did the judge pass it, from which run.
      -- (called_tool_ids stays out: a long tool list could exceed the size limit of an index row.)
      CREATE INDEX trajectories_code_point_idx
        ON trajectories (trajectory_id COLLATE "C") INCLUDE (passed, synthesis_run_id);

      CREATE INDEX tasks_code_point_idx ON tasks (task_id COLLATE "C");

      CREATE INDEX event_journal_lifecycle_idx ON event_journal (subject, position)
        WHERE type IN ('synthesis.started', 'synthesis.completed', 'rl.started', 'rl.finished', 'dataset.sealed');
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX event_journal_lifecycle_idx, tasks_code_point_idx, trajectories_code_point_idx,
        dataset_members_code_point_idx;
    `);
  }
}
