import type { Loaders } from '../graphql/loaders';
import { toAgent, type Agent, type AgentRow } from './agents/agent.model';
import { toCheckpoint, type Checkpoint, type CheckpointRow } from './checkpoints/checkpoint.model';
import {
  toCriticComparison,
  type CriticComparison,
  type CriticComparisonRow,
} from './critic-comparisons/critic-comparison.model';
import {
  toCriticVersion,
  type CriticVersion,
  type CriticVersionRow,
} from './critic-versions/critic-version.model';
import { toEvaluation, type Evaluation, type EvaluationRow } from './evaluations/evaluation.model';
import {
  toJournalEvent,
  type JournalEvent,
  type JournalEventRow,
} from './journal/journal-event.model';
import { toReward, type Reward, type RewardRow } from './rewards/reward.model';
import { toRlRun, type RlRun, type RlRunRow } from './rl-runs/rl-run.model';
import { toRollout, type Rollout, type RolloutRow } from './rollouts/rollout.model';
import {
  toSynthesisRun,
  type SynthesisRun,
  type SynthesisRunRow,
} from './synthesis-runs/synthesis-run.model';
import { toTask, type Task, type TaskRow } from './tasks/task.model';
import { toTool, type Tool, type ToolRow } from './tools/tool.model';
import { toTrajectory, type Trajectory, type TrajectoryRow } from './trajectories/trajectory.model';

type Key = string | null | undefined;

// One entity by its id, batched per request through the DataLoaders; null when unknown.
export const loadAgent = (loaders: Loaders, id: Key): Promise<Agent | null> =>
  loaders.rowBy<AgentRow>('agents', 'agent_id', id).then((row) => row && toAgent(row));
export const loadCheckpoint = (loaders: Loaders, id: Key): Promise<Checkpoint | null> =>
  loaders
    .rowBy<CheckpointRow>('checkpoints', 'checkpoint_id', id)
    .then((row) => row && toCheckpoint(row));
export const loadCriticComparison = (loaders: Loaders, id: Key): Promise<CriticComparison | null> =>
  loaders
    .rowBy<CriticComparisonRow>('critic_comparisons', 'comparison_id', id)
    .then((row) => row && toCriticComparison(row));
export const loadCriticVersion = (loaders: Loaders, id: Key): Promise<CriticVersion | null> =>
  loaders
    .rowBy<CriticVersionRow>('critic_versions', 'critic_version_id', id)
    .then((row) => row && toCriticVersion(row));
export const loadEvaluation = (loaders: Loaders, id: Key): Promise<Evaluation | null> =>
  loaders
    .rowBy<EvaluationRow>('evaluations', 'evaluation_id', id)
    .then((row) => row && toEvaluation(row));
export const loadJournalEvent = (loaders: Loaders, id: Key): Promise<JournalEvent | null> =>
  loaders
    .rowBy<JournalEventRow>('event_journal', 'event_id', id)
    .then((row) => row && toJournalEvent(row));
export const loadReward = (loaders: Loaders, id: Key): Promise<Reward | null> =>
  loaders.rowBy<RewardRow>('rewards', 'reward_id', id).then((row) => row && toReward(row));
export const loadRlRun = (loaders: Loaders, id: Key): Promise<RlRun | null> =>
  loaders.rowBy<RlRunRow>('rl_runs', 'rl_run_id', id).then((row) => row && toRlRun(row));
export const loadRollout = (loaders: Loaders, id: Key): Promise<Rollout | null> =>
  loaders.rowBy<RolloutRow>('rollouts', 'rollout_id', id).then((row) => row && toRollout(row));
export const loadSynthesisRun = (loaders: Loaders, id: Key): Promise<SynthesisRun | null> =>
  loaders
    .rowBy<SynthesisRunRow>('synthesis_runs', 'synthesis_run_id', id)
    .then((row) => row && toSynthesisRun(row));
export const loadTask = (loaders: Loaders, id: Key): Promise<Task | null> =>
  loaders.rowBy<TaskRow>('tasks', 'task_id', id).then((row) => row && toTask(row));
export const loadTool = (loaders: Loaders, id: Key): Promise<Tool | null> =>
  loaders.rowBy<ToolRow>('tools', 'tool_id', id).then((row) => row && toTool(row));
export const loadTrajectory = (loaders: Loaders, id: Key): Promise<Trajectory | null> =>
  loaders
    .rowBy<TrajectoryRow>('trajectories', 'trajectory_id', id)
    .then((row) => row && toTrajectory(row));
