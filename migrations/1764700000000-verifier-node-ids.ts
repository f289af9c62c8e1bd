import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Verifier names and versions may both hold "@", so `verifier:NAME@VERSION` was ambiguous:
 * name "a@b" version "c" and name "a" version "b@c" were both `verifier:a@b@c`. The name now has
 * "%" and "@" escaped (%25, %40), so the first "@" ends it; `verifier_node` builds that id in
 * SQL exactly as `verifierNode` does in libs/read-model, and `lineage_graph` uses it (the view
 * is the one of DerivedLineageEdges1764547200000 but for the verifier id). No stored edge holds
 * a verifier id: reward edges are derived, so nothing else is rewritten.
 */
export class VerifierNodeIds1764700000000 implements MigrationInterface {
  name = 'VerifierNodeIds1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain SQL (PGlite runs it too); inlined by the planner, being immutable and one expression.
    await queryRunner.query(`
      CREATE FUNCTION verifier_node(name text, version text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT 'verifier:' || replace(replace(name, '%', '%25'), '@', '%40') || '@' || version $$;
    `);
    await queryRunner.query(lineageGraph(`verifier_node(r.verifier_name, r.verifier_version)`));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      lineageGraph(`'verifier:' || r.verifier_name || '@' || r.verifier_version`),
    );
    await queryRunner.query(`DROP FUNCTION verifier_node(text, text);`);
  }
}

/** The lineage_graph view with `verifier` as the SQL of a reward's verifier node id. */
function lineageGraph(verifier: string): string {
  return `
    CREATE OR REPLACE VIEW lineage_graph (src, relation, dst, position) AS
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
        ('by', COALESCE(${verifier},
                        'critic_version:' || r.critic_version_id))
      ) AS link (relation, dst)
      WHERE link.dst IS NOT NULL;
  `;
}
