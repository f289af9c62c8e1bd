import { Type } from '@sinclair/typebox';
import { EntityId, NonEmptyText, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const agentDefined = defineEvent({
  type: 'agent.defined',
  subjectKind: 'agent',
  subject: (data) => `agent:${data.agentId}`,
  description: 'An agent: a system prompt plus a tool set sampled from the repository.',
  schema: Type.Object(
    {
      agentId: EntityId(),
      systemPrompt: NonEmptyText(),
      toolIds: Type.Array(EntityId()),
      synthesisRunId: Type.Optional(EntityId()),
    },
    closed,
  ),
});
