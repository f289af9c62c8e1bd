import { Type } from '@sinclair/typebox';
import { EntityId, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const rlFinished = defineEvent({
  type: 'rl.finished',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'An RL run ended.',
  schema: Type.Object(
    {
      rlRunId: EntityId(),
      status: Type.Union([
        Type.Literal('succeeded'),
        Type.Literal('failed'),
        Type.Literal('cancelled'),
      ]),
      finalCheckpointId: Type.Optional(EntityId()),
    },
    closed,
  ),
});
