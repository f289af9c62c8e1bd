// Key: rl_run_id, merged with rl.started in either order. Idempotent: same values again.
import { rowProjection } from './projection';

export const rlFinishedProjection = rowProjection<'rl.finished'>(({ data, time }, position) => ({
  rows: [
    {
      table: 'rlRuns',
      row: {
        rl_run_id: data.rlRunId,
        finished_status: data.status,
        final_checkpoint_id: data.finalCheckpointId ?? null,
        finished_at: time,
        position,
      },
    },
  ],
  edges: [],
}));
