import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';
import type { JournalRange, Settler } from './settler';

// Keeps critic_agreement_rollups and critic_comparison_counts (see the run-joined-metrics
// migration). A comparison joins three rows: itself and the counted reward of each of its two
// rollouts, the verifiable reward of the rollout journaled first. That reward never changes once
// one is visible: positions commit in order, so a reward of the rollout journaled earlier is
// visible too. The comparison counts in the transaction whose range holds the largest of the three
// positions: every visible row is at or below the range's end, so that is "largest >= start".

export const criticAgreementSettler: Settler = {
  types: new Set<EventType>(['critic.compared', 'reward.assigned']),
  async settle(sql: Sql, range: JournalRange, types: ReadonlySet<EventType>): Promise<void> {
    const params = [range.first, range.last];
    if (types.has('critic.compared')) await sql.query(COUNT_COMPARISONS, params);
    await sql.query(SETTLE_AGREEMENT, params);
  },
};

// $1, $2: the range. Every comparison, whatever rewards its rollouts have: no join.
const COUNT_COMPARISONS = `
  INSERT INTO critic_comparison_counts AS s (rl_run_id, critic_version_id, step, comparisons)
  SELECT rl_run_id, critic_version_id, step, count(*) FROM critic_comparisons
  WHERE position BETWEEN $1::bigint AND $2::bigint
  GROUP BY 1, 2, 3
  ON CONFLICT (rl_run_id, critic_version_id, step)
  DO UPDATE SET comparisons = s.comparisons + EXCLUDED.comparisons`;

// The counted reward of a rollout: its verifiable reward of the least position. Aggregated over
// the rollout's rewards (found by rollout id) rather than ORDER BY position LIMIT 1, which a
// planner can turn into a walk of the whole position index; no row when it has none.
const COUNTED_REWARD = (rolloutId: string) => `
  SELECT (array_agg(value ORDER BY position))[1] AS value,
         (array_agg(domain ORDER BY position))[1] AS domain, min(position) AS position
  FROM rewards WHERE rollout_id = ${rolloutId} AND kind = 'verifiable'
  HAVING count(*) > 0`;

// Candidates: comparisons in the range, and earlier ones whose rollout got a verifiable reward
// in the range (it may not be the counted one; the position test below sorts that out). Every
// lookup is an index probe per row: LATERAL ... OFFSET 0 keeps the planner from joining whole
// tables (millions of rows), and position tests stay outside, or a probe can become a scan of the
// position index (BitmapAnd) for every row.
const SETTLE_AGREEMENT = `
  WITH candidates AS (
    SELECT c.comparison_id FROM critic_comparisons c
    WHERE c.position BETWEEN $1::bigint AND $2::bigint
    UNION
    SELECT c.comparison_id FROM rewards r
    CROSS JOIN LATERAL (
      SELECT comparison_id, position FROM critic_comparisons WHERE rollout_ids[1] = r.rollout_id
      UNION ALL
      SELECT comparison_id, position FROM critic_comparisons WHERE rollout_ids[2] = r.rollout_id
      OFFSET 0
    ) c
    WHERE r.position BETWEEN $1::bigint AND $2::bigint AND r.kind = 'verifiable'
      AND c.position < $1::bigint
  ), judged AS (
    SELECT c.rl_run_id, c.critic_version_id, c.step, c.rubric_ids, a.domain,
           a.value <> b.value AS decisive,
           c.preferred_rollout_id =
             CASE WHEN a.value > b.value THEN c.rollout_ids[1] ELSE c.rollout_ids[2] END
             AS preferred_higher
    FROM candidates
    CROSS JOIN LATERAL (
      SELECT * FROM critic_comparisons WHERE comparison_id = candidates.comparison_id OFFSET 0
    ) c
    CROSS JOIN LATERAL (${COUNTED_REWARD('c.rollout_ids[1]')}) a
    CROSS JOIN LATERAL (${COUNTED_REWARD('c.rollout_ids[2]')}) b
    WHERE GREATEST(c.position, a.position, b.position) >= $1::bigint
  )
  INSERT INTO critic_agreement_rollups AS s
    (rl_run_id, critic_version_id, domain, rubric_id, step, verifiable_pairs, decisive_pairs, agreed)
  SELECT rl_run_id, critic_version_id, domain, rubric.id, step, count(*),
         count(*) FILTER (WHERE decisive), count(*) FILTER (WHERE decisive AND preferred_higher)
  FROM judged
  CROSS JOIN LATERAL (SELECT '' UNION SELECT unnest(judged.rubric_ids)) AS rubric (id)
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (rl_run_id, critic_version_id, domain, rubric_id, step) DO UPDATE SET
    verifiable_pairs = s.verifiable_pairs + EXCLUDED.verifiable_pairs,
    decisive_pairs = s.decisive_pairs + EXCLUDED.decisive_pairs,
    agreed = s.agreed + EXCLUDED.agreed`;
