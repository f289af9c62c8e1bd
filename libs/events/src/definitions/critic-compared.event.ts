import { Type } from '@sinclair/typebox';
import { EntityId, Step, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const criticCompared = defineEvent({
  type: 'critic.compared',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'The self-critic compared two rollouts pairwise against rubrics and preferred one.',
  schema: Type.Object(
    {
      comparisonId: EntityId(),
      rlRunId: EntityId(),
      step: Step(),
      criticVersionId: EntityId(),
      rolloutIds: Type.Array(EntityId(), { minItems: 2, maxItems: 2 }),
      preferredRolloutId: EntityId(),
      rubricIds: Type.Optional(Type.Array(EntityId())),
      rationale: Type.Optional(Type.String()),
    },
    closed,
  ),
  rules: [
    (data) =>
      data.rolloutIds.includes(data.preferredRolloutId)
        ? undefined
        : { field: 'preferredRolloutId', message: 'must be one of rolloutIds' },
    (data) =>
      data.rolloutIds[0] !== data.rolloutIds[1]
        ? undefined
        : { field: 'rolloutIds', message: 'must name two different rollouts' },
  ],
});
