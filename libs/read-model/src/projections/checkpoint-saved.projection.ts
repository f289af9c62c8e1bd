// Key: checkpoint_id, first wins. Order: none (the run or the parent may come later).
// Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const checkpointSavedProjection = rowProjection<'checkpoint.saved'>(
  ({ data, time }, position) => {
    const checkpoint = nodeId('checkpoint', data.checkpointId);
    return {
      rows: [
        {
          table: 'checkpoints',
          row: {
            checkpoint_id: data.checkpointId,
            rl_run_id: data.rlRunId,
            step: data.step,
            uri: data.uri ?? null,
            parent_checkpoint_id: data.parentCheckpointId ?? null,
            saved_at: time,
            position,
          },
        },
      ],
      edges: [
        { src: checkpoint, relation: 'of', dst: nodeId('rl_run', data.rlRunId) },
        ...(data.parentCheckpointId
          ? [
              {
                src: checkpoint,
                relation: 'parent' as const,
                dst: nodeId('checkpoint', data.parentCheckpointId),
              },
            ]
          : []),
      ],
    };
  },
);
