import { Type } from '@sinclair/typebox';
import { EntityId, JsonObject, closed } from '../common.schema';
import { defineEvent } from '../define-event';

const ToolCall = Type.Object(
  {
    toolId: EntityId(),
    arguments: JsonObject(),
    result: Type.Optional(Type.Unknown()),
    error: Type.Optional(Type.Unknown()),
  },
  closed,
);

const Turn = Type.Object(
  {
    role: Type.Union([
      Type.Literal('system'),
      Type.Literal('user'),
      Type.Literal('assistant'),
      Type.Literal('tool'),
    ]),
    content: Type.Union([Type.String(), Type.Null()]),
    toolCalls: Type.Optional(Type.Array(ToolCall)),
  },
  closed,
);

export const trajectoryRecorded = defineEvent({
  type: 'trajectory.recorded',
  subjectKind: 'synthesis',
  subject: (data) => `synthesis:${data.synthesisRunId}`,
  description:
    'A multi-turn trajectory of a simulated user and a tool-using agent, judged by the rubric.',
  schema: Type.Object(
    {
      trajectoryId: EntityId(),
      synthesisRunId: EntityId(),
      taskId: EntityId(),
      agentId: EntityId(),
      turns: Type.Array(Turn, { minItems: 1 }),
      judgement: Type.Object(
        {
          passed: Type.Boolean(),
          score: Type.Optional(Type.Number()),
          criteria: Type.Optional(
            Type.Array(Type.Object({ id: EntityId(), passed: Type.Boolean() }, closed)),
          ),
          judge: Type.Optional(Type.Object({ model: Type.String() }, closed)),
        },
        closed,
      ),
    },
    closed,
  ),
});
