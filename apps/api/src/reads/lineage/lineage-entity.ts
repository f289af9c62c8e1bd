import { createUnionType } from '@nestjs/graphql';
import type { NodeKind } from '@tracker/read-model';
import type { Loaders } from '../../graphql/loaders';
import { Agent } from '../agents/agent.model';
import { Checkpoint } from '../checkpoints/checkpoint.model';
import { CriticComparison } from '../critic-comparisons/critic-comparison.model';
import { CriticVersion } from '../critic-versions/critic-version.model';
import { loadDatasetVersion } from '../datasets/dataset-version.loader';
import { DatasetVersion } from '../datasets/dataset-version.model';
import {
  loadAgent,
  loadCheckpoint,
  loadCriticComparison,
  loadCriticVersion,
  loadEvaluation,
  loadReward,
  loadRlRun,
  loadRollout,
  loadSynthesisRun,
  loadTask,
  loadTool,
  loadTrajectory,
} from '../entity-loaders';
import { Evaluation } from '../evaluations/evaluation.model';
import { Reward, Verifier } from '../rewards/reward.model';
import { RlRun } from '../rl-runs/rl-run.model';
import { Rollout } from '../rollouts/rollout.model';
import { SynthesisRun } from '../synthesis-runs/synthesis-run.model';
import { Task } from '../tasks/task.model';
import { Tool } from '../tools/tool.model';
import type { TypedNodeId } from '../typed-node-id';
import { Trajectory } from '../trajectories/trajectory.model';

const TYPES = {
  tool: Tool,
  agent: Agent,
  task: Task,
  synthesis_run: SynthesisRun,
  trajectory: Trajectory,
  dataset_version: DatasetVersion,
  rl_run: RlRun,
  checkpoint: Checkpoint,
  rollout: Rollout,
  reward: Reward,
  comparison: CriticComparison,
  critic_version: CriticVersion,
  verifier: Verifier,
  evaluation: Evaluation,
} as const satisfies Record<NodeKind, unknown>;

// Entities are plain objects: the kind they were loaded as says which GraphQL type they are.
const KIND = Symbol('lineageKind');
type Tagged = { [KIND]?: NodeKind };

export const LineageEntity = createUnionType({
  name: 'LineageEntity',
  description: 'The entity behind a lineage node id.',
  types: () => Object.values(TYPES),
  resolveType: (value: Tagged) => TYPES[value[KIND]!],
});

/** A verifier exists for the tracker once a reward names it (its rollups say so). */
async function loadVerifier(
  loaders: Loaders,
  { name, version }: Extract<TypedNodeId, { kind: 'verifier' }>,
): Promise<Verifier | null> {
  const known = await loaders.load<{ name: string; version: string }, boolean>(
    'verifier.exists',
    { name, version },
    async (keys) => {
      // One probe of reward_rollups_verifier_idx per key, on the name and version columns.
      const { rows } = await loaders.pool.query<{ key: string }>(
        `SELECT v.key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS v(name, version, key)
         WHERE EXISTS (SELECT 1 FROM reward_rollups r
                       WHERE r.verifier_name <> '' AND r.verifier_name = v.name
                         AND r.verifier_version = v.version)`,
        [keys.map((key) => key.name), keys.map((key) => key.version)],
      );
      const found = new Set(rows.map((row) => Number(row.key) - 1));
      return keys.map((_, index) => found.has(index));
    },
  );
  return known ? { name, version } : null;
}

async function loadByKind(loaders: Loaders, node: TypedNodeId): Promise<object | null> {
  const { id } = node;
  switch (node.kind) {
    case 'tool':
      return loadTool(loaders, id);
    case 'agent':
      return loadAgent(loaders, id);
    case 'task':
      return loadTask(loaders, id);
    case 'synthesis_run':
      return loadSynthesisRun(loaders, id);
    case 'trajectory':
      return loadTrajectory(loaders, id);
    case 'dataset_version':
      return loadDatasetVersion(loaders, { datasetId: node.datasetId, version: node.version });
    case 'rl_run':
      return loadRlRun(loaders, id);
    case 'checkpoint':
      return loadCheckpoint(loaders, id);
    case 'rollout':
      return loadRollout(loaders, id);
    case 'reward':
      return loadReward(loaders, id);
    case 'comparison':
      return loadCriticComparison(loaders, id);
    case 'critic_version':
      return loadCriticVersion(loaders, id);
    case 'verifier':
      return loadVerifier(loaders, node);
    case 'evaluation':
      return loadEvaluation(loaders, id);
  }
}

/** The entity behind a node (batched through the request's loaders), null when not recorded. */
export async function loadEntity(loaders: Loaders, ref: TypedNodeId): Promise<object | null> {
  const entity = await loadByKind(loaders, ref);
  if (entity) (entity as Tagged)[KIND] = ref.kind;
  return entity;
}
