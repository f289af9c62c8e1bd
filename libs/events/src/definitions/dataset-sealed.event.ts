import { Type } from '@sinclair/typebox';
import { Count, EntityId, MAX_INT32, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const datasetSealed = defineEvent({
  type: 'dataset.sealed',
  subjectKind: 'dataset',
  subject: (data) => `dataset:${data.datasetId}`,
  description: 'A dataset version was closed; its content hash states exactly what it holds.',
  schema: Type.Object(
    {
      datasetId: EntityId(),
      version: Type.Integer({ minimum: 1, maximum: MAX_INT32 }),
      memberCount: Count(),
      contentHash: Type.String({
        pattern: '^[0-9a-f]{64}$',
        description:
          'lowercase hex SHA-256 of the distinct member ids, sorted by code point, joined by \\n',
      }),
      purpose: Type.Optional(
        Type.Union([Type.Literal('sft'), Type.Literal('rl'), Type.Literal('eval')]),
      ),
      description: Type.Optional(Type.String()),
    },
    closed,
  ),
});
