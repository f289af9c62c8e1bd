import type { Loaders } from '../../graphql/loaders';
import { loadCheckpoint, loadRlRun } from '../entity-loaders';
import { verifierUsages } from '../rl-runs/reward-summary.query';
import type { DatasetVersionRef } from '../rl-runs/rl-run.model';
import type { Checkpoint } from './checkpoint.model';
import type { CheckpointProvenance, RunContribution } from './checkpoint-provenance.model';

// A chain longer than this is a cycle in bad data or not worth walking in one request.
const MAX_HOPS = 1_000;

/**
 * Walks from a checkpoint to its parents and to the base checkpoints of the runs that saved
 * them, one batched hop at a time (cycle-safe), then reads each run's judges up to the step it
 * contributed through from the reward rollups: a handful of queries whatever the run sizes.
 */
export async function checkpointProvenance(
  loaders: Loaders,
  checkpoint: Checkpoint,
): Promise<CheckpointProvenance> {
  const checkpoints = [checkpoint];
  const unrecorded: string[] = [];
  const seen = new Set([checkpoint.id]);
  const upToStep = new Map<string, number>(); // run -> last step that led here, in discovery order
  const runsSeen = new Set<string>();
  let frontier = [checkpoint];
  for (let hop = 0; frontier.length > 0 && hop < MAX_HOPS; hop++) {
    for (const known of frontier) {
      upToStep.set(known.rlRunId, Math.max(upToStep.get(known.rlRunId) ?? known.step, known.step));
    }
    const newRuns = [...new Set(frontier.map((known) => known.rlRunId))].filter(
      (id) => !runsSeen.has(id),
    );
    newRuns.forEach((id) => runsSeen.add(id));
    const runs = await Promise.all(newRuns.map((id) => loadRlRun(loaders, id)));
    const next = [
      ...frontier.map((known) => known.parentCheckpointId),
      ...runs.map((run) => run?.baseCheckpointId),
    ].filter((id): id is string => typeof id === 'string' && !seen.has(id));
    const unique = [...new Set(next)];
    unique.forEach((id) => seen.add(id));
    const loaded = await Promise.all(unique.map((id) => loadCheckpoint(loaders, id)));
    frontier = [];
    loaded.forEach((found, index) => {
      if (found) {
        checkpoints.push(found);
        frontier.push(found);
      } else {
        unrecorded.push(unique[index]);
      }
    });
  }

  const runIds = [...upToStep.keys()];
  const keys = runIds.map((rlRunId) => ({ rlRunId, toStep: upToStep.get(rlRunId)! }));
  const [runs, verifiers, critics] = await Promise.all([
    Promise.all(runIds.map((id) => loadRlRun(loaders, id))),
    verifierUsages(loaders.pool, keys),
    criticsUpTo(loaders, keys),
  ]);
  const contributions: RunContribution[] = runIds.map((rlRunId, index) => {
    const run = runs[index];
    const criticVersionIds = [
      ...new Set([...(run?.criticVersionId ? [run.criticVersionId] : []), ...critics[index]]),
    ];
    return {
      rlRunId,
      upToStep: upToStep.get(rlRunId)!,
      run,
      verifiers: verifiers[index],
      criticVersionIds,
    };
  });
  return {
    checkpoints,
    unrecordedCheckpointIds: unrecorded,
    runs: contributions,
    datasetVersions: distinctBy(
      contributions.flatMap((contribution) => contribution.run?.datasets ?? []),
      (ref: DatasetVersionRef) => `${ref.datasetId}\u0000${ref.version}`,
    ),
    verifiers: distinctBy(
      contributions.flatMap((contribution) =>
        contribution.verifiers.map(({ name, version }) => ({ name, version })),
      ),
      (verifier) => `${verifier.name}\u0000${verifier.version}`,
    ),
    criticVersionIds: [
      ...new Set(contributions.flatMap((contribution) => contribution.criticVersionIds)),
    ],
  };
}

function distinctBy<Item>(items: Item[], keyOf: (item: Item) => string): Item[] {
  const byKey = new Map<string, Item>();
  for (const item of items) if (!byKey.has(keyOf(item))) byKey.set(keyOf(item), item);
  return [...byKey.values()];
}

/** Critic versions that gave rewards in each run up to a step, from the rollups, sorted. */
async function criticsUpTo(
  loaders: Loaders,
  keys: ReadonlyArray<{ rlRunId: string; toStep: number }>,
): Promise<string[][]> {
  const { rows } = await loaders.pool.query<{ key: string; critics: string[] }>(
    `SELECT k.key, array_agg(DISTINCT r.critic_version_id ORDER BY r.critic_version_id) AS critics
     FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(rl_run_id, to_step, key)
     JOIN reward_rollups r ON r.rl_run_id = k.rl_run_id AND r.step <= k.to_step
       AND r.critic_version_id <> ''
     GROUP BY k.key`,
    [keys.map((key) => key.rlRunId), keys.map((key) => key.toStep)],
  );
  const results: string[][] = keys.map(() => []);
  for (const row of rows) results[Number(row.key) - 1] = row.critics;
  return results;
}
