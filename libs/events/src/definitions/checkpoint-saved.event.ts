import { Type } from '@sinclair/typebox';
import { EntityId, Step, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const checkpointSaved = defineEvent({
  type: 'checkpoint.saved',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'An RL run saved a policy checkpoint at a step.',
  schema: Type.Object(
    {
      checkpointId: EntityId(),
      rlRunId: EntityId(),
      step: Step(),
      uri: Type.Optional(Type.String()),
      parentCheckpointId: Type.Optional(EntityId()),
    },
    closed,
  ),
});
