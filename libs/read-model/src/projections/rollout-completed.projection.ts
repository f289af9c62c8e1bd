// Key: rollout_id, first wins. Order: none (rewards for it may already be here; they link by
// rollout_id as soon as this row exists). Idempotent: ON CONFLICT DO NOTHING.
import { rowProjection } from './projection';

export const rolloutCompletedProjection = rowProjection<'rollout.completed'>(
  ({ data, time }, position) => {
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
      // Its edges (in run, of task, by checkpoint, continues) are derived from these columns
      // by the lineage_graph view: storing them again would double the hottest writes.
      edges: [],
    };
  },
);
