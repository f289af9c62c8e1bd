import { Type } from '@sinclair/typebox';
import { EntityId, NonEmptyText, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const taskDefined = defineEvent({
  type: 'task.defined',
  subjectKind: 'task',
  subject: (data) => `task:${data.taskId}`,
  description: 'A task for an agent, with the rubric that decides success.',
  schema: Type.Object(
    {
      taskId: EntityId(),
      agentId: Type.Optional(EntityId()),
      prompt: NonEmptyText(),
      rubric: Type.Optional(
        Type.Object(
          {
            criteria: Type.Array(
              Type.Object({ id: EntityId(), description: Type.String() }, closed),
            ),
          },
          closed,
        ),
      ),
      domain: Type.Optional(Type.String()),
      difficulty: Type.Optional(Type.Number()),
    },
    closed,
  ),
});
