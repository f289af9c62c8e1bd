import type { Static } from '@sinclair/typebox';
import { agentDefined } from './definitions/agent-defined.event';
import { checkpointSaved } from './definitions/checkpoint-saved.event';
import { criticCompared } from './definitions/critic-compared.event';
import { criticUpdated } from './definitions/critic-updated.event';
import { datasetMembersAdded } from './definitions/dataset-members-added.event';
import { datasetSealed } from './definitions/dataset-sealed.event';
import { evaluationRecorded } from './definitions/evaluation-recorded.event';
import { rewardAssigned } from './definitions/reward-assigned.event';
import { rlFinished } from './definitions/rl-finished.event';
import { rlStarted } from './definitions/rl-started.event';
import { rolloutCompleted } from './definitions/rollout-completed.event';
import { synthesisCompleted } from './definitions/synthesis-completed.event';
import { synthesisStarted } from './definitions/synthesis-started.event';
import { taskDefined } from './definitions/task-defined.event';
import { toolRegistered } from './definitions/tool-registered.event';
import { trajectoryRecorded } from './definitions/trajectory-recorded.event';

/** The whole catalog, in the contract's order. */
export const EVENT_DEFINITIONS = [
  toolRegistered,
  agentDefined,
  taskDefined,
  synthesisStarted,
  trajectoryRecorded,
  synthesisCompleted,
  datasetMembersAdded,
  datasetSealed,
  rlStarted,
  checkpointSaved,
  rolloutCompleted,
  rewardAssigned,
  criticCompared,
  criticUpdated,
  rlFinished,
  evaluationRecorded,
] as const;

type Definition = (typeof EVENT_DEFINITIONS)[number];

export type EventType = Definition['type'];

/** The payload type of an event type, at its current schema version. */
export type EventData<Type extends EventType> = Static<
  Extract<Definition, { type: Type }>['schema']
>;

export const EVENT_TYPES: readonly EventType[] = EVENT_DEFINITIONS.map(
  (definition) => definition.type,
);

const byType = new Map<string, Definition>(
  EVENT_DEFINITIONS.map((definition) => [definition.type, definition]),
);

export function findDefinition(type: string): Definition | undefined {
  return byType.get(type);
}

export function isEventType(type: string): type is EventType {
  return byType.has(type);
}
