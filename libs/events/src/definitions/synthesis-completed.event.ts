import { Type } from '@sinclair/typebox';
import { EntityId, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const synthesisCompleted = defineEvent({
  type: 'synthesis.completed',
  subjectKind: 'synthesis',
  subject: (data) => `synthesis:${data.synthesisRunId}`,
  description: 'A synthesis run ended.',
  schema: Type.Object(
    {
      synthesisRunId: EntityId(),
      status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
    },
    closed,
  ),
});
