import { Type } from '@sinclair/typebox';
import { EntityId, JsonObject, MAX_INT32, NonEmptyText, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const rlStarted = defineEvent({
  type: 'rl.started',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'An RL run began from a policy checkpoint, training on dataset versions.',
  schema: Type.Object(
    {
      rlRunId: EntityId(),
      project: Type.Optional(EntityId('project, "default" when absent')),
      name: Type.Optional(Type.String()),
      policy: Type.Object(
        { model: NonEmptyText(), baseCheckpointId: Type.Optional(EntityId()) },
        closed,
      ),
      datasets: Type.Optional(
        Type.Array(
          Type.Object(
            { datasetId: EntityId(), version: Type.Integer({ minimum: 1, maximum: MAX_INT32 }) },
            closed,
          ),
        ),
      ),
      criticVersionId: Type.Optional(EntityId()),
      config: Type.Optional(JsonObject()),
    },
    closed,
  ),
});
