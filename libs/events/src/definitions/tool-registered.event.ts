import { Type } from '@sinclair/typebox';
import { EntityId, JsonObject, NonEmptyText, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const toolRegistered = defineEvent({
  type: 'tool.registered',
  subjectKind: 'tool',
  subject: (data) => `tool:${data.toolId}`,
  description:
    'A tool entered the repository: fetched from an MCP server or evolved synthetically.',
  schema: Type.Object(
    {
      toolId: EntityId(),
      name: NonEmptyText(),
      description: Type.Optional(Type.String()),
      source: Type.Union([Type.Literal('mcp'), Type.Literal('synthetic')]),
      origin: Type.Optional(Type.String({ description: 'MCP server or repository it came from' })),
      evolvedFrom: Type.Optional(
        Type.Array(EntityId(), { description: 'toolIds it was evolved from' }),
      ),
      domain: Type.Optional(Type.String()),
      inputSchema: JsonObject('JSON Schema of the tool input (MCP inputSchema)'),
    },
    closed,
  ),
});
