import type { EventType } from '@tracker/events';
import { agentDefinedProjection } from './agent-defined.projection';
import { checkpointSavedProjection } from './checkpoint-saved.projection';
import { criticComparedProjection } from './critic-compared.projection';
import { criticUpdatedProjection } from './critic-updated.projection';
import { datasetMembersAddedProjection } from './dataset-members-added.projection';
import { datasetSealedProjection } from './dataset-sealed.projection';
import { evaluationRecordedProjection } from './evaluation-recorded.projection';
import type { Projection } from './projection';
import { rewardAssignedProjection } from './reward-assigned.projection';
import { rlFinishedProjection } from './rl-finished.projection';
import { rlStartedProjection } from './rl-started.projection';
import { rolloutCompletedProjection } from './rollout-completed.projection';
import { synthesisCompletedProjection } from './synthesis-completed.projection';
import { synthesisStartedProjection } from './synthesis-started.projection';
import { taskDefinedProjection } from './task-defined.projection';
import { toolRegisteredProjection } from './tool-registered.projection';
import { trajectoryRecordedProjection } from './trajectory-recorded.projection';

/** The projection of each event type; the mapped type makes a missing one a compile error. */
export const PROJECTIONS: { readonly [Type in EventType]: Projection<Type> } = {
  'tool.registered': toolRegisteredProjection,
  'agent.defined': agentDefinedProjection,
  'task.defined': taskDefinedProjection,
  'synthesis.started': synthesisStartedProjection,
  'trajectory.recorded': trajectoryRecordedProjection,
  'synthesis.completed': synthesisCompletedProjection,
  'dataset.members.added': datasetMembersAddedProjection,
  'dataset.sealed': datasetSealedProjection,
  'rl.started': rlStartedProjection,
  'checkpoint.saved': checkpointSavedProjection,
  'rollout.completed': rolloutCompletedProjection,
  'reward.assigned': rewardAssignedProjection,
  'critic.compared': criticComparedProjection,
  'critic.updated': criticUpdatedProjection,
  'rl.finished': rlFinishedProjection,
  'evaluation.recorded': evaluationRecordedProjection,
};
