// Key: rl_run_id, merged with rl.finished in either order (each fills its own columns).
// Idempotent: re-applying writes the same values; edges ON CONFLICT DO NOTHING.
import { datasetVersionNode, nodeId } from '../lineage/node-id';
import { rowProjection } from './projection';

export const rlStartedProjection = rowProjection<'rl.started'>(({ data, time }, position) => {
  const run = nodeId('rl_run', data.rlRunId);
  return {
    rows: [
      {
        table: 'rlRuns',
        row: {
          rl_run_id: data.rlRunId,
          project: data.project ?? 'default',
          name: data.name ?? null,
          policy_model: data.policy.model,
          base_checkpoint_id: data.policy.baseCheckpointId ?? null,
          datasets: data.datasets ?? [],
          critic_version_id: data.criticVersionId ?? null,
          config: data.config ?? null,
          started_at: time,
          position,
        },
      },
    ],
    edges: [
      ...(data.datasets ?? []).map((dataset) => ({
        src: run,
        relation: 'trains_on' as const,
        dst: datasetVersionNode(dataset.datasetId, dataset.version),
      })),
      ...(data.policy.baseCheckpointId
        ? [
            {
              src: run,
              relation: 'starts_from' as const,
              dst: nodeId('checkpoint', data.policy.baseCheckpointId),
            },
          ]
        : []),
    ],
  };
});
