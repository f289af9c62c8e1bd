// Key: trajectory_id, first recording wins. Order: none (task, agent, run and tools may arrive
// later; edges resolve then). Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const trajectoryRecordedProjection = rowProjection<'trajectory.recorded'>(
  ({ data, time }, position) => {
    const calledToolIds = [
      ...new Set(data.turns.flatMap((turn) => (turn.toolCalls ?? []).map((call) => call.toolId))),
    ];
    const trajectory = nodeId('trajectory', data.trajectoryId);
    return {
      rows: [
        {
          table: 'trajectories',
          row: {
            trajectory_id: data.trajectoryId,
            synthesis_run_id: data.synthesisRunId,
            task_id: data.taskId,
            agent_id: data.agentId,
            turns: data.turns,
            turn_count: data.turns.length,
            called_tool_ids: calledToolIds,
            passed: data.judgement.passed,
            score: data.judgement.score ?? null,
            criteria: data.judgement.criteria ?? null,
            judge_model: data.judgement.judge?.model ?? null,
            recorded_at: time,
            position,
          },
        },
      ],
      edges: [
        { src: trajectory, relation: 'of', dst: nodeId('task', data.taskId) },
        { src: trajectory, relation: 'by', dst: nodeId('agent', data.agentId) },
        { src: trajectory, relation: 'in', dst: nodeId('synthesis_run', data.synthesisRunId) },
        ...calledToolIds.map((toolId) => ({
          src: trajectory,
          relation: 'calls' as const,
          dst: nodeId('tool', toolId),
        })),
      ],
    };
  },
);
