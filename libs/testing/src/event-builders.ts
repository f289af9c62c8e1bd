import { randomUUID } from 'node:crypto';
import {
  datasetContentHash,
  findDefinition,
  type EventData,
  type EventType,
} from '@tracker/events';

// Builders of valid wire events for tests: every call gets fresh ids, so tests sharing a
// database never collide, and the subject is derived from the final payload.

/** The envelope attributes a test may override (all but `type` and `data`). */
export interface EnvelopeOverrides {
  specversion?: string;
  id?: string;
  source?: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  schemaversion?: number;
  /** CloudEvents extension attributes, or anything a test wants to add to the envelope. */
  [attribute: string]: unknown;
}

/** A wire event as a producer sends it (CloudEvents 1.0, structured JSON mode). */
export interface WireEvent<Type extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: Type;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  schemaversion?: number;
  data: EventData<Type>;
  [attribute: string]: unknown;
}

/** A fresh id with a readable prefix, e.g. `rollout-1c9e...`. */
export function freshId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

function envelopeOf<Type extends EventType>(
  type: Type,
  data: EventData<Type>,
  overrides: EnvelopeOverrides,
): WireEvent<Type> {
  const subject = findDefinition(type)!.subject as (data: EventData<Type>) => string;
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'test/event-builders',
    type,
    subject: subject(data),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    ...overrides,
    data,
  } as WireEvent<Type>;
}

type Builder<Type extends EventType> = (
  data?: Partial<EventData<Type>>,
  envelope?: EnvelopeOverrides,
) => WireEvent<Type>;

export const toolRegisteredEvent: Builder<'tool.registered'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'tool.registered',
    {
      toolId: freshId('tool'),
      name: 'search_flights',
      source: 'mcp',
      origin: 'mcp://travel-server',
      inputSchema: { type: 'object', properties: { from: { type: 'string' } } },
      ...data,
    },
    envelope,
  );

export const agentDefinedEvent: Builder<'agent.defined'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'agent.defined',
    {
      agentId: freshId('agent'),
      systemPrompt: 'You are a travel assistant.',
      toolIds: [freshId('tool')],
      ...data,
    },
    envelope,
  );

export const taskDefinedEvent: Builder<'task.defined'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'task.defined',
    {
      taskId: freshId('task'),
      prompt: 'Book the cheapest flight from Oslo to Lima next Friday.',
      rubric: { criteria: [{ id: 'books_cheapest', description: 'books the cheapest fare' }] },
      domain: 'travel',
      difficulty: 0.4,
      ...data,
    },
    envelope,
  );

export const synthesisStartedEvent: Builder<'synthesis.started'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'synthesis.started',
    {
      synthesisRunId: freshId('synthesis'),
      project: 'default',
      name: 'tool-use synthesis',
      generator: { model: 'k2-base' },
      ...data,
    },
    envelope,
  );

export const trajectoryRecordedEvent: Builder<'trajectory.recorded'> = (
  data = {},
  envelope = {},
) => {
  const toolId = freshId('tool');
  return envelopeOf(
    'trajectory.recorded',
    {
      trajectoryId: freshId('trajectory'),
      synthesisRunId: freshId('synthesis'),
      taskId: freshId('task'),
      agentId: freshId('agent'),
      turns: [
        { role: 'user', content: 'Find me a flight to Lima.' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ toolId, arguments: { to: 'LIM' }, result: { flights: 3 } }],
        },
        { role: 'assistant', content: 'I found 3 flights.' },
      ],
      judgement: { passed: true, score: 0.9, criteria: [{ id: 'books_cheapest', passed: true }] },
      ...data,
    },
    envelope,
  );
};

export const synthesisCompletedEvent: Builder<'synthesis.completed'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'synthesis.completed',
    { synthesisRunId: freshId('synthesis'), status: 'succeeded', ...data },
    envelope,
  );

export const datasetMembersAddedEvent: Builder<'dataset.members.added'> = (
  data = {},
  envelope = {},
) =>
  envelopeOf(
    'dataset.members.added',
    {
      datasetId: freshId('dataset'),
      version: 1,
      memberKind: 'trajectory',
      memberIds: [freshId('trajectory'), freshId('trajectory')],
      ...data,
    },
    envelope,
  );

/**
 * By default a sealed empty version (memberCount 0, the hash of no ids). Pass `memberIds` to
 * seal those instead: memberCount and contentHash then follow from them unless overridden.
 */
export function datasetSealedEvent(
  data: Partial<EventData<'dataset.sealed'>> & { memberIds?: readonly string[] } = {},
  envelope: EnvelopeOverrides = {},
): WireEvent<'dataset.sealed'> {
  const { memberIds = [], ...fields } = data;
  return envelopeOf(
    'dataset.sealed',
    {
      datasetId: freshId('dataset'),
      version: 1,
      memberCount: new Set(memberIds).size,
      contentHash: datasetContentHash(memberIds),
      purpose: 'sft',
      ...fields,
    },
    envelope,
  );
}

export const rlStartedEvent: Builder<'rl.started'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'rl.started',
    {
      rlRunId: freshId('rl'),
      project: 'default',
      name: 'k2 rl',
      policy: { model: 'k2-sft', baseCheckpointId: freshId('checkpoint') },
      datasets: [{ datasetId: freshId('dataset'), version: 1 }],
      config: { learningRate: 1e-6 },
      ...data,
    },
    envelope,
  );

export const checkpointSavedEvent: Builder<'checkpoint.saved'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'checkpoint.saved',
    {
      checkpointId: freshId('checkpoint'),
      rlRunId: freshId('rl'),
      step: 100,
      uri: 's3://checkpoints/100',
      ...data,
    },
    envelope,
  );

export const rolloutCompletedEvent: Builder<'rollout.completed'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'rollout.completed',
    {
      rolloutId: freshId('rollout'),
      rlRunId: freshId('rl'),
      step: 100,
      taskId: freshId('task'),
      groupId: freshId('group'),
      gym: { template: 'math-verifiable', domain: 'math' },
      promptTokens: 120,
      responseTokens: 850,
      numTurns: 1,
      numToolCalls: 0,
      finishReason: 'stop',
      ...data,
    },
    envelope,
  );

/**
 * By default a verifiable reward of 1 with its verifier. Overriding `kind` to `self_critic`
 * needs a `criticVersionId` too; to verifiable, a value of 0 or 1.
 */
export const rewardAssignedEvent: Builder<'reward.assigned'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'reward.assigned',
    {
      rewardId: freshId('reward'),
      rolloutId: freshId('rollout'),
      rlRunId: freshId('rl'),
      step: 100,
      kind: 'verifiable',
      domain: 'math',
      value: 1,
      verifier: { name: 'math-verify', version: '1.0.0' },
      hackCheck: { flagged: false },
      ...data,
    },
    envelope,
  );

/** `preferredRolloutId` defaults to the first of the (possibly overridden) `rolloutIds`. */
export const criticComparedEvent: Builder<'critic.compared'> = (data = {}, envelope = {}) => {
  const rolloutIds = data.rolloutIds ?? [freshId('rollout'), freshId('rollout')];
  return envelopeOf(
    'critic.compared',
    {
      comparisonId: freshId('comparison'),
      rlRunId: freshId('rl'),
      step: 100,
      criticVersionId: freshId('critic'),
      rubricIds: ['core.clarity_relevance', 'prescriptive.no_initial_praise'],
      rationale: 'The first answer is direct and correct.',
      ...data,
      rolloutIds,
      preferredRolloutId: data.preferredRolloutId ?? rolloutIds[0],
    },
    envelope,
  );
};

export const criticUpdatedEvent: Builder<'critic.updated'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'critic.updated',
    {
      criticVersionId: freshId('critic'),
      rlRunId: freshId('rl'),
      step: 100,
      rolloutCount: 512,
      agreement: [{ domain: 'math', accuracy: 0.82, samples: 256 }],
      ...data,
    },
    envelope,
  );

export const rlFinishedEvent: Builder<'rl.finished'> = (data = {}, envelope = {}) =>
  envelopeOf('rl.finished', { rlRunId: freshId('rl'), status: 'succeeded', ...data }, envelope);

export const evaluationRecordedEvent: Builder<'evaluation.recorded'> = (data = {}, envelope = {}) =>
  envelopeOf(
    'evaluation.recorded',
    {
      evaluationId: freshId('evaluation'),
      checkpointId: freshId('checkpoint'),
      benchmark: 'AIME25',
      metric: 'pass@1',
      value: 0.49,
      samples: 30,
      ...data,
    },
    envelope,
  );

const builders: { [Type in EventType]: (data?: Partial<EventData<Type>>) => WireEvent<Type> } = {
  'tool.registered': toolRegisteredEvent,
  'agent.defined': agentDefinedEvent,
  'task.defined': taskDefinedEvent,
  'synthesis.started': synthesisStartedEvent,
  'trajectory.recorded': trajectoryRecordedEvent,
  'synthesis.completed': synthesisCompletedEvent,
  'dataset.members.added': datasetMembersAddedEvent,
  'dataset.sealed': datasetSealedEvent,
  'rl.started': rlStartedEvent,
  'checkpoint.saved': checkpointSavedEvent,
  'rollout.completed': rolloutCompletedEvent,
  'reward.assigned': rewardAssignedEvent,
  'critic.compared': criticComparedEvent,
  'critic.updated': criticUpdatedEvent,
  'rl.finished': rlFinishedEvent,
  'evaluation.recorded': evaluationRecordedEvent,
};

/** A valid event of `type` with fresh defaults, optionally with some payload fields set. */
export function anyEventOf<Type extends EventType>(
  type: Type,
  data?: Partial<EventData<Type>>,
  envelope?: EnvelopeOverrides,
): WireEvent<Type> {
  const build = builders[type] as unknown as Builder<Type>;
  return build(data, envelope);
}
