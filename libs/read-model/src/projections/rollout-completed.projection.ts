// Key: rollout_id, first wins. Order: none (rewards for it may already be here; they link by
// rollout_id as soon as this row exists). Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const rolloutCompletedProjection = rowProjection<'rollout.completed'>(
  ({ data, time }, position) => {
    const rollout = nodeId('rollout', data.rolloutId);
    return {
      rows: [
        {
          table: 'rollouts',
          row: {
            rollout_id: data.rolloutId,
            rl_run_id: data.rlRunId,
            step: data.step,
            task_id: data.taskId,
            group_id: data.groupId ?? null,
            policy_checkpoint_id: data.policyCheckpointId ?? null,
            gym_template: data.gym?.template ?? null,
            gym_domain: data.gym?.domain ?? null,
            prompt_tokens: data.promptTokens ?? null,
            response_tokens: data.responseTokens,
            num_turns: data.numTurns ?? null,
            num_tool_calls: data.numToolCalls ?? null,
            finish_reason: data.finishReason ?? null,
            partial_of: data.partialOf ?? null,
            completed_at: time,
            position,
          },
        },
      ],
      edges: [
        { src: rollout, relation: 'in', dst: nodeId('rl_run', data.rlRunId) },
        { src: rollout, relation: 'of', dst: nodeId('task', data.taskId) },
        ...(data.policyCheckpointId
          ? [
              {
                src: rollout,
                relation: 'by' as const,
                dst: nodeId('checkpoint', data.policyCheckpointId),
              },
            ]
          : []),
        ...(data.partialOf
          ? [
              {
                src: rollout,
                relation: 'continues' as const,
                dst: nodeId('rollout', data.partialOf),
              },
            ]
          : []),
      ],
    };
  },
);
