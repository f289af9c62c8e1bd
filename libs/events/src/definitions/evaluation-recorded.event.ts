import { Type } from '@sinclair/typebox';
import { Count, EntityId, NonEmptyText, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const evaluationRecorded = defineEvent({
  type: 'evaluation.recorded',
  subjectKind: 'checkpoint',
  subject: (data) => `checkpoint:${data.checkpointId}`,
  description: 'A benchmark score of a checkpoint (e.g. AIME25 pass@1).',
  schema: Type.Object(
    {
      evaluationId: EntityId(),
      checkpointId: EntityId(),
      benchmark: NonEmptyText(),
      metric: NonEmptyText(),
      value: Type.Number(),
      samples: Type.Optional(Count()),
    },
    closed,
  ),
});
