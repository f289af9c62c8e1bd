// Key: comparison_id, first wins. Order: none. Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const criticComparedProjection = rowProjection<'critic.compared'>(
  ({ data, time }, position) => {
    const comparison = nodeId('comparison', data.comparisonId);
    return {
      rows: [
        {
          table: 'criticComparisons',
          row: {
            comparison_id: data.comparisonId,
            rl_run_id: data.rlRunId,
            step: data.step,
            critic_version_id: data.criticVersionId,
            rollout_ids: data.rolloutIds,
            preferred_rollout_id: data.preferredRolloutId,
            rubric_ids: data.rubricIds ?? [],
            rationale: data.rationale ?? null,
            compared_at: time,
            position,
          },
        },
      ],
      edges: [
        ...data.rolloutIds.map((rolloutId) => ({
          src: comparison,
          relation: 'judges' as const,
          dst: nodeId('rollout', rolloutId),
        })),
        { src: comparison, relation: 'by', dst: nodeId('critic_version', data.criticVersionId) },
      ],
    };
  },
);
