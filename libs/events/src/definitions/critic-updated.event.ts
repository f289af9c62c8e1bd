import { Type } from '@sinclair/typebox';
import { Count, EntityId, Step, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const criticUpdated = defineEvent({
  type: 'critic.updated',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'A new critic version, trained on on-policy rollouts with verifiable rewards.',
  schema: Type.Object(
    {
      criticVersionId: EntityId(),
      parentCriticVersionId: Type.Optional(EntityId()),
      rlRunId: EntityId(),
      step: Step(),
      rolloutCount: Type.Optional(Count()),
      agreement: Type.Optional(
        Type.Array(
          Type.Object(
            {
              domain: Type.String({ minLength: 1 }),
              accuracy: Type.Number({ minimum: 0, maximum: 1 }),
              samples: Count(),
            },
            closed,
          ),
        ),
      ),
    },
    closed,
  ),
});
