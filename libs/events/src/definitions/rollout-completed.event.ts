import { Type } from '@sinclair/typebox';
import { Count, EntityId, Step, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const FINISH_REASONS = [
  'stop',
  'length',
  'repeat',
  'budget',
  'tool_error',
  'partial',
  'aborted',
] as const;

export const rolloutCompleted = defineEvent({
  type: 'rollout.completed',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'The policy answered a task at a step (possibly continuing a partial rollout).',
  schema: Type.Object(
    {
      rolloutId: EntityId(),
      rlRunId: EntityId(),
      step: Step(),
      taskId: EntityId(),
      groupId: Type.Optional(EntityId('the prompt group its K samples share')),
      policyCheckpointId: Type.Optional(EntityId()),
      gym: Type.Optional(
        Type.Object(
          { template: Type.Optional(Type.String()), domain: Type.Optional(Type.String()) },
          closed,
        ),
      ),
      promptTokens: Type.Optional(Count()),
      responseTokens: Count(),
      numTurns: Type.Optional(Count()),
      numToolCalls: Type.Optional(Count()),
      finishReason: Type.Optional(Type.Union(FINISH_REASONS.map((reason) => Type.Literal(reason)))),
      partialOf: Type.Optional(EntityId('rolloutId this one continues')),
    },
    closed,
  ),
});
