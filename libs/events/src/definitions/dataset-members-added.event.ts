import { Type } from '@sinclair/typebox';
import { EntityId, MAX_INT32, closed } from '../common.schema';
import { defineEvent } from '../define-event';

export const MAX_MEMBERS_PER_EVENT = 10_000;

export const datasetMembersAdded = defineEvent({
  type: 'dataset.members.added',
  subjectKind: 'dataset',
  subject: (data) => `dataset:${data.datasetId}`,
  description: 'Trajectories (SFT) or tasks (RL) joined a dataset version.',
  schema: Type.Object(
    {
      datasetId: EntityId(),
      version: Type.Integer({ minimum: 1, maximum: MAX_INT32 }),
      memberKind: Type.Union([Type.Literal('trajectory'), Type.Literal('task')]),
      memberIds: Type.Array(EntityId(), { minItems: 1, maxItems: MAX_MEMBERS_PER_EVENT }),
    },
    closed,
  ),
});
