// Key: tool_id, first definition wins. Order: none assumed (evolvedFrom may name tools not
// seen yet; the edge is kept and resolves when they arrive). Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const toolRegisteredProjection = rowProjection<'tool.registered'>(
  ({ data, time }, position) => ({
    rows: [
      {
        table: 'tools',
        row: {
          tool_id: data.toolId,
          name: data.name,
          description: data.description ?? null,
          source: data.source,
          origin: data.origin ?? null,
          evolved_from: data.evolvedFrom ?? [],
          domain: data.domain ?? null,
          input_schema: data.inputSchema,
          registered_at: time,
          position,
        },
      },
    ],
    edges: (data.evolvedFrom ?? []).map((parent) => ({
      src: nodeId('tool', data.toolId),
      relation: 'evolved_from' as const,
      dst: nodeId('tool', parent),
    })),
  }),
);
