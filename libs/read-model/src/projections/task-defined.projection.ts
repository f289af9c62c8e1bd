// Key: task_id, first definition wins. Order: none (the agent may come later).
// Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const taskDefinedProjection = rowProjection<'task.defined'>(({ data, time }, position) => ({
  rows: [
    {
      table: 'tasks',
      row: {
        task_id: data.taskId,
        agent_id: data.agentId ?? null,
        prompt: data.prompt,
        rubric: data.rubric ?? null,
        domain: data.domain ?? null,
        difficulty: data.difficulty ?? null,
        defined_at: time,
        position,
      },
    },
  ],
  edges: data.agentId
    ? [
        {
          src: nodeId('task', data.taskId),
          relation: 'for' as const,
          dst: nodeId('agent', data.agentId),
        },
      ]
    : [],
}));
