import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rollouts and rewards are most of the events (and millions of rows); their lineage edges
 * (rollout in run, of task, by checkpoint, continues rollout; reward for rollout, by verifier or
 * critic version) carry nothing that is not already in the row's own columns. Storing them again
 * as edge rows cost a third of the projector's database time, so they are no longer stored:
 * `lineage_graph` is the whole graph, the stored edges plus those derived from the rows.
 */
export class DerivedLineageEdges1764547200000 implements MigrationInterface {
  name = 'DerivedLineageEdges1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DELETE FROM lineage_edges WHERE src LIKE 'rollout:%' OR src LIKE 'reward:%';

      CREATE VIEW lineage_graph (src, relation, dst, position) AS
        SELECT src, relation, dst, position FROM lineage_edges
        UNION ALL
        SELECT 'rollout:' || o.rollout_id, link.relation, link.dst, o.position
        FROM rollouts o
        CROSS JOIN LATERAL (VALUES
          ('in', 'rl_run:' || o.rl_run_id),
          ('of', 'task:' || o.task_id),
          ('by', 'checkpoint:' || o.policy_checkpoint_id),
          ('continues', 'rollout:' || o.partial_of)
        ) AS link (relation, dst)
        WHERE link.dst IS NOT NULL
        UNION ALL
        SELECT 'reward:' || r.reward_id, link.relation, link.dst, r.position
        FROM rewards r
        CROSS JOIN LATERAL (VALUES
          ('for', 'rollout:' || r.rollout_id),
          ('by', COALESCE('verifier:' || r.verifier_name || '@' || r.verifier_version,
                          'critic_version:' || r.critic_version_id))
        ) AS link (relation, dst)
        WHERE link.dst IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO lineage_edges (src, relation, dst, position)
      SELECT src, relation, dst, position FROM lineage_graph
      WHERE src LIKE 'rollout:%' OR src LIKE 'reward:%'
      ON CONFLICT DO NOTHING;
      DROP VIEW lineage_graph;
    `);
  }
}
