// Key: synthesis_run_id, merged with synthesis.completed in either order (each fills its own
// columns). Idempotent: re-applying writes the same values.
import { rowProjection } from './projection';

export const synthesisStartedProjection = rowProjection<'synthesis.started'>(
  ({ data, time }, position) => ({
    rows: [
      {
        table: 'synthesisRuns',
        row: {
          synthesis_run_id: data.synthesisRunId,
          project: data.project ?? 'default',
          name: data.name ?? null,
          generator_model: data.generator?.model ?? null,
          config: data.config ?? null,
          started_at: time,
          position,
        },
      },
    ],
    edges: [],
  }),
);
