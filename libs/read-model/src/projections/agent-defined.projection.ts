// Key: agent_id, first definition wins. Order: none (tools may be registered later).
// Idempotent: ON CONFLICT DO NOTHING on the row and on each edge.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const agentDefinedProjection = rowProjection<'agent.defined'>(
  ({ data, time }, position) => ({
    rows: [
      {
        table: 'agents',
        row: {
          agent_id: data.agentId,
          system_prompt: data.systemPrompt,
          tool_ids: data.toolIds,
          synthesis_run_id: data.synthesisRunId ?? null,
          defined_at: time,
          position,
        },
      },
    ],
    edges: data.toolIds.map((toolId) => ({
      src: nodeId('agent', data.agentId),
      relation: 'uses' as const,
      dst: nodeId('tool', toolId),
    })),
  }),
);
