// Key: evaluation_id, first wins. Order: none (the checkpoint may come later).
// Idempotent: ON CONFLICT DO NOTHING.
import { nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const evaluationRecordedProjection = rowProjection<'evaluation.recorded'>(
  ({ data, time }, position) => ({
    rows: [
      {
        table: 'evaluations',
        row: {
          evaluation_id: data.evaluationId,
          checkpoint_id: data.checkpointId,
          benchmark: data.benchmark,
          metric: data.metric,
          value: data.value,
          samples: data.samples ?? null,
          recorded_at: time,
          position,
        },
      },
    ],
    edges: [
      {
        src: nodeId('evaluation', data.evaluationId),
        relation: 'evaluates',
        dst: nodeId('checkpoint', data.checkpointId),
      },
    ],
  }),
);
