import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Metrics that join what several events bring, kept by the projector's settlers (see
 * libs/read-model/src/settle) in the transaction that journals the last of the joined rows:
 *
 * - group_reward_stats: per RL run x prompt group (rollout groupId) x reward kind x domain, the
 *   rewards of the group's rollouts: count, min, max, passes (verifiable value 1), and the
 *   group's step (the least step of those rollouts); group_step_stats sums them per step
 *   (groups, groups with two or more rewards, zero-variance groups, groups with a pass).
 * - critic_agreement_rollups: per run x critic version x domain x rubric ('' = all) x step,
 *   comparisons whose two rollouts both have a counted verifiable reward (the first journaled
 *   one of each rollout), those whose two values differ (decisive), and those where the critic
 *   preferred the higher one (agreed); the domain is the counted reward's of the first rollout.
 *   critic_comparison_counts counts every comparison, whatever rewards its rollouts have.
 * - synthesis_funnels: per synthesis run, trajectories, passed ones, distinct tasks, tasks with
 *   a passed trajectory, distinct tools called and how many of those are registered; the sets
 *   behind the distinct counts are synthesis_run_tasks and synthesis_run_tools.
 *
 * Backfilled here from what is already projected, with the definitions the settlers use.
 * Aggregates are updated in place batch after batch, hence the fillfactor (HOT updates).
 */
export class RunJoinedMetrics1764810000000 implements MigrationInterface {
  name = 'RunJoinedMetrics1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE group_reward_stats (
        rl_run_id text NOT NULL,
        group_id text NOT NULL,
        kind text NOT NULL,
        domain text NOT NULL,
        step integer NOT NULL,
        rewards bigint NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        pass_count bigint NOT NULL,
        PRIMARY KEY (rl_run_id, group_id, kind, domain)
      ) WITH (fillfactor = 70);

      CREATE TABLE group_step_stats (
        rl_run_id text NOT NULL,
        kind text NOT NULL,
        domain text NOT NULL,
        step integer NOT NULL,
        groups bigint NOT NULL,
        rewards bigint NOT NULL,
        multi_reward_groups bigint NOT NULL,
        zero_variance_groups bigint NOT NULL,
        pass_groups bigint NOT NULL,
        PRIMARY KEY (rl_run_id, kind, domain, step)
      ) WITH (fillfactor = 70);

      CREATE TABLE critic_agreement_rollups (
        rl_run_id text NOT NULL,
        critic_version_id text NOT NULL,
        domain text NOT NULL,
        rubric_id text NOT NULL,
        step integer NOT NULL,
        verifiable_pairs bigint NOT NULL,
        decisive_pairs bigint NOT NULL,
        agreed bigint NOT NULL,
        PRIMARY KEY (rl_run_id, critic_version_id, domain, rubric_id, step)
      ) WITH (fillfactor = 70);

      CREATE TABLE critic_comparison_counts (
        rl_run_id text NOT NULL,
        critic_version_id text NOT NULL,
        step integer NOT NULL,
        comparisons bigint NOT NULL,
        PRIMARY KEY (rl_run_id, critic_version_id, step)
      ) WITH (fillfactor = 70);

      CREATE TABLE synthesis_funnels (
        synthesis_run_id text PRIMARY KEY,
        trajectories bigint NOT NULL,
        passed_trajectories bigint NOT NULL,
        tasks bigint NOT NULL,
        passed_tasks bigint NOT NULL,
        tools_called bigint NOT NULL,
        tools_registered bigint NOT NULL
      ) WITH (fillfactor = 70);

      CREATE TABLE synthesis_run_tasks (
        synthesis_run_id text NOT NULL,
        task_id text NOT NULL,
        passed boolean NOT NULL,
        PRIMARY KEY (synthesis_run_id, task_id)
      );

      -- position: of the run's first trajectory calling the tool (when the pair was first seen).
      CREATE TABLE synthesis_run_tools (
        synthesis_run_id text NOT NULL,
        tool_id text NOT NULL,
        position bigint NOT NULL,
        PRIMARY KEY (synthesis_run_id, tool_id)
      );
      -- A tool registered later finds the runs that called it.
      CREATE INDEX synthesis_run_tools_tool_idx ON synthesis_run_tools (tool_id, position);

      -- A verifiable reward arriving finds the comparisons of its rollout.
      CREATE INDEX critic_comparisons_first_rollout_idx ON critic_comparisons ((rollout_ids[1]));
      CREATE INDEX critic_comparisons_second_rollout_idx ON critic_comparisons ((rollout_ids[2]));
    `);
    await queryRunner.query(`
      INSERT INTO group_reward_stats
        (rl_run_id, group_id, kind, domain, step, rewards, min, max, pass_count)
      SELECT o.rl_run_id, o.group_id, r.kind, r.domain, min(o.step), count(*), min(r.value),
             max(r.value), count(*) FILTER (WHERE r.kind = 'verifiable' AND r.value = 1)
      FROM rewards r JOIN rollouts o ON o.rollout_id = r.rollout_id
      WHERE o.group_id IS NOT NULL
      GROUP BY 1, 2, 3, 4;

      INSERT INTO group_step_stats
        (rl_run_id, kind, domain, step, groups, rewards, multi_reward_groups, zero_variance_groups,
         pass_groups)
      SELECT rl_run_id, kind, domain, step, count(*), sum(rewards),
             count(*) FILTER (WHERE rewards >= 2),
             count(*) FILTER (WHERE rewards >= 2 AND min = max),
             count(*) FILTER (WHERE pass_count > 0)
      FROM group_reward_stats GROUP BY 1, 2, 3, 4;

      WITH judged AS (
        SELECT c.rl_run_id, c.critic_version_id, c.step, c.rubric_ids, a.domain,
               a.value <> b.value AS decisive,
               c.preferred_rollout_id =
                 CASE WHEN a.value > b.value THEN c.rollout_ids[1] ELSE c.rollout_ids[2] END
                 AS preferred_higher
        FROM critic_comparisons c
        CROSS JOIN LATERAL (
          SELECT (array_agg(value ORDER BY position))[1] AS value,
                 (array_agg(domain ORDER BY position))[1] AS domain
          FROM rewards WHERE rollout_id = c.rollout_ids[1] AND kind = 'verifiable'
          HAVING count(*) > 0
        ) a
        CROSS JOIN LATERAL (
          SELECT (array_agg(value ORDER BY position))[1] AS value
          FROM rewards WHERE rollout_id = c.rollout_ids[2] AND kind = 'verifiable'
          HAVING count(*) > 0
        ) b
      )
      INSERT INTO critic_agreement_rollups
        (rl_run_id, critic_version_id, domain, rubric_id, step, verifiable_pairs, decisive_pairs,
         agreed)
      SELECT rl_run_id, critic_version_id, domain, rubric.id, step, count(*),
             count(*) FILTER (WHERE decisive), count(*) FILTER (WHERE decisive AND preferred_higher)
      FROM judged
      CROSS JOIN LATERAL (SELECT '' UNION SELECT unnest(judged.rubric_ids)) AS rubric (id)
      GROUP BY 1, 2, 3, 4, 5;

      INSERT INTO critic_comparison_counts (rl_run_id, critic_version_id, step, comparisons)
      SELECT rl_run_id, critic_version_id, step, count(*) FROM critic_comparisons GROUP BY 1, 2, 3;

      INSERT INTO synthesis_run_tasks (synthesis_run_id, task_id, passed)
      SELECT synthesis_run_id, task_id, bool_or(passed) FROM trajectories GROUP BY 1, 2;

      INSERT INTO synthesis_run_tools (synthesis_run_id, tool_id, position)
      SELECT t.synthesis_run_id, called.tool_id, min(t.position) FROM trajectories t
      CROSS JOIN LATERAL unnest(t.called_tool_ids) AS called (tool_id)
      GROUP BY 1, 2;

      INSERT INTO synthesis_funnels
        (synthesis_run_id, trajectories, passed_trajectories, tasks, passed_tasks, tools_called,
         tools_registered)
      SELECT run.synthesis_run_id,
             (SELECT count(*) FROM trajectories t WHERE t.synthesis_run_id = run.synthesis_run_id),
             (SELECT count(*) FROM trajectories t
              WHERE t.synthesis_run_id = run.synthesis_run_id AND t.passed),
             (SELECT count(*) FROM synthesis_run_tasks k WHERE k.synthesis_run_id = run.synthesis_run_id),
             (SELECT count(*) FROM synthesis_run_tasks k
              WHERE k.synthesis_run_id = run.synthesis_run_id AND k.passed),
             (SELECT count(*) FROM synthesis_run_tools s WHERE s.synthesis_run_id = run.synthesis_run_id),
             (SELECT count(*) FROM synthesis_run_tools s JOIN tools x ON x.tool_id = s.tool_id
              WHERE s.synthesis_run_id = run.synthesis_run_id)
      FROM (SELECT DISTINCT synthesis_run_id FROM trajectories) AS run;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX critic_comparisons_second_rollout_idx, critic_comparisons_first_rollout_idx;
      DROP TABLE synthesis_run_tools, synthesis_run_tasks, synthesis_funnels,
        critic_comparison_counts, critic_agreement_rollups, group_step_stats, group_reward_stats;
    `);
  }
}
