import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';
import type { JournalRange, Settler } from './settler';

// Keeps group_reward_stats and group_step_stats (see the run-joined-metrics migration): the
// rewards of each prompt group, which a reward only joins through its rollout's group_id. A
// (reward, rollout) pair counts once, in the transaction journaling the later of the two rows:
// rewards in the range meet every visible rollout (all at positions up to the range's end),
// rollouts in the range meet rewards journaled before it.

export const groupStatsSettler: Settler = {
  types: new Set<EventType>(['rollout.completed', 'reward.assigned']),
  async settle(sql: Sql, range: JournalRange): Promise<void> {
    const { rows: emptied } = await sql.query<StepKey>(SETTLE_GROUPS, [range.first, range.last]);
    // A group moved to an earlier step (a rollout of a lower step arrived) can leave a step with
    // no group; removing it keeps the table what a replay in other batches would build.
    if (emptied.length > 0) {
      await sql.query(DROP_EMPTY_STEPS, [
        emptied.map((key) => key.rl_run_id),
        emptied.map((key) => key.kind),
        emptied.map((key) => key.domain),
        emptied.map((key) => key.step),
      ]);
    }
  },
};

interface StepKey {
  rl_run_id: string;
  kind: string;
  domain: string;
  step: number;
}

// $1, $2: the range. A group's per-step contribution is a function of its row, so the step
// rollup moves by (contribution after) - (contribution before): `before` reads the rows as
// they were when the statement started, `after` what the upsert made of them. The LATERAL ...
// OFFSET 0 lookups keep every join a probe of the id index per row of the range, whatever the
// planner estimates (rewards and rollouts hold millions of rows); position tests stay outside
// them, or a probe can become a scan of the position index (BitmapAnd) for every row.
const SETTLE_GROUPS = `
  WITH pairs AS (
    SELECT o.rl_run_id, o.group_id, r.kind, r.domain, o.step, r.value FROM rewards r
    CROSS JOIN LATERAL (
      SELECT rl_run_id, group_id, step FROM rollouts
      WHERE rollout_id = r.rollout_id AND group_id IS NOT NULL OFFSET 0
    ) o
    WHERE r.position BETWEEN $1::bigint AND $2::bigint
    UNION ALL
    SELECT o.rl_run_id, o.group_id, r.kind, r.domain, o.step, r.value FROM rollouts o
    CROSS JOIN LATERAL (
      SELECT kind, domain, value, position FROM rewards WHERE rollout_id = o.rollout_id OFFSET 0
    ) r
    WHERE o.position BETWEEN $1::bigint AND $2::bigint AND o.group_id IS NOT NULL
      AND r.position < $1::bigint
  ), delta AS (
    SELECT rl_run_id, group_id, kind, domain, min(step) AS step, count(*) AS rewards,
           min(value) AS min, max(value) AS max,
           count(*) FILTER (WHERE kind = 'verifiable' AND value = 1) AS pass_count
    FROM pairs GROUP BY 1, 2, 3, 4
  ), before AS (
    SELECT g.* FROM delta d
    CROSS JOIN LATERAL (
      SELECT * FROM group_reward_stats
      WHERE rl_run_id = d.rl_run_id AND group_id = d.group_id AND kind = d.kind
        AND domain = d.domain
      OFFSET 0
    ) g
  ), after AS (
    INSERT INTO group_reward_stats AS g
      (rl_run_id, group_id, kind, domain, step, rewards, min, max, pass_count)
    SELECT rl_run_id, group_id, kind, domain, step, rewards, min, max, pass_count FROM delta
    ON CONFLICT (rl_run_id, group_id, kind, domain) DO UPDATE SET
      step = LEAST(g.step, EXCLUDED.step),
      rewards = g.rewards + EXCLUDED.rewards,
      min = LEAST(g.min, EXCLUDED.min),
      max = GREATEST(g.max, EXCLUDED.max),
      pass_count = g.pass_count + EXCLUDED.pass_count
    RETURNING g.*
  ), contributions AS (
    SELECT rl_run_id, kind, domain, step, 1 AS groups, rewards,
           (rewards >= 2)::int AS multi, (rewards >= 2 AND min = max)::int AS zero_variance,
           (pass_count > 0)::int AS passed
    FROM after
    UNION ALL
    SELECT rl_run_id, kind, domain, step, -1, -rewards, -(rewards >= 2)::int,
           -(rewards >= 2 AND min = max)::int, -(pass_count > 0)::int
    FROM before
  ), stepped AS (
    INSERT INTO group_step_stats AS s
      (rl_run_id, kind, domain, step, groups, rewards, multi_reward_groups, zero_variance_groups,
       pass_groups)
    SELECT rl_run_id, kind, domain, step, sum(groups), sum(rewards), sum(multi),
           sum(zero_variance), sum(passed)
    FROM contributions GROUP BY 1, 2, 3, 4
    ON CONFLICT (rl_run_id, kind, domain, step) DO UPDATE SET
      groups = s.groups + EXCLUDED.groups,
      rewards = s.rewards + EXCLUDED.rewards,
      multi_reward_groups = s.multi_reward_groups + EXCLUDED.multi_reward_groups,
      zero_variance_groups = s.zero_variance_groups + EXCLUDED.zero_variance_groups,
      pass_groups = s.pass_groups + EXCLUDED.pass_groups
    RETURNING s.rl_run_id, s.kind, s.domain, s.step, s.groups
  )
  SELECT rl_run_id, kind, domain, step FROM stepped WHERE groups = 0`;

const DROP_EMPTY_STEPS = `
  DELETE FROM group_step_stats s
  USING unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS k (rl_run_id, kind, domain, step)
  WHERE s.rl_run_id = k.rl_run_id AND s.kind = k.kind AND s.domain = k.domain AND s.step = k.step
    AND s.groups = 0`;
