// Key: reward_id, first wins. Order: none (a reward may precede its rollout; it is kept and
// linked by rollout_id). Idempotent: ON CONFLICT DO NOTHING, and the rollup counts only rows
// that statement actually inserted (see row-writer).
import { rowProjection } from './projection';

export const rewardAssignedProjection = rowProjection<'reward.assigned'>(
  ({ data, time }, position) => {
    return {
      rows: [
        {
          table: 'rewards',
          row: {
            reward_id: data.rewardId,
            rollout_id: data.rolloutId,
            rl_run_id: data.rlRunId,
            step: data.step,
            kind: data.kind,
            domain: data.domain,
            value: data.value,
            verifier_name: data.verifier?.name ?? null,
            verifier_version: data.verifier?.version ?? null,
            critic_version_id: data.criticVersionId ?? null,
            rubric_ids: data.rubricIds ?? [],
            hack_flagged: data.hackCheck?.flagged ?? null,
            hack_reason: data.hackCheck?.reason ?? null,
            assigned_at: time,
            position,
          },
        },
      ],
      // Its edges (for rollout, by verifier or critic version) are derived from these columns
      // by the lineage_graph view.
      edges: [],
    };
  },
);
