// Key: synthesis_run_id, merged with synthesis.started in either order.
// Idempotent: re-applying writes the same values.
import { rowProjection } from './projection';

export const synthesisCompletedProjection = rowProjection<'synthesis.completed'>(
  ({ data, time }, position) => ({
    rows: [
      {
        table: 'synthesisRuns',
        row: {
          synthesis_run_id: data.synthesisRunId,
          completed_status: data.status,
          completed_at: time,
          position,
        },
      },
    ],
    edges: [],
  }),
);
