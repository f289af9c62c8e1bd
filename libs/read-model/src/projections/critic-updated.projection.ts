// Key: critic_version_id, first wins. Order: none (the parent version may come later).
// Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const criticUpdatedProjection = rowProjection<'critic.updated'>(
  ({ data, time }, position) => {
    const critic = nodeId('critic_version', data.criticVersionId);
    return {
      rows: [
        {
          table: 'criticVersions',
          row: {
            critic_version_id: data.criticVersionId,
            parent_critic_version_id: data.parentCriticVersionId ?? null,
            rl_run_id: data.rlRunId,
            step: data.step,
            rollout_count: data.rolloutCount ?? null,
            agreement: data.agreement ?? [],
            updated_at: time,
            position,
          },
        },
      ],
      edges: [
        { src: critic, relation: 'updated_in', dst: nodeId('rl_run', data.rlRunId) },
        ...(data.parentCriticVersionId
          ? [
              {
                src: critic,
                relation: 'parent' as const,
                dst: nodeId('critic_version', data.parentCriticVersionId),
              },
            ]
          : []),
      ],
    };
  },
);
