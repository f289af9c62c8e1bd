import { Type } from '@sinclair/typebox';
import { EntityId, JsonObject, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const synthesisStarted = defineEvent({
  type: 'synthesis.started',
  subjectKind: 'synthesis',
  subject: (data) => `synthesis:${data.synthesisRunId}`,
  description: 'A tool-use data synthesis run began.',
  schema: Type.Object(
    {
      synthesisRunId: EntityId(),
      project: Type.Optional(EntityId('project, "default" when absent')),
      name: Type.Optional(Type.String()),
      generator: Type.Optional(Type.Object({ model: Type.String() }, closed)),
      config: Type.Optional(JsonObject()),
    },
    closed,
  ),
});
