import { Type } from '@sinclair/typebox';
import { EntityId, Step, closed } from '../common.schema';
import { defineEvent } from '../define-event';

// Conditions JSON Schema can state, so that a Python worker's validator enforces them too.
const kindRules = [
  {
    if: { properties: { kind: { const: 'verifiable' } }, required: ['kind'] },
    then: { required: ['verifier'], properties: { value: { enum: [0, 1] } } },
  },
  {
    if: { properties: { kind: { const: 'self_critic' } }, required: ['kind'] },
    then: { required: ['criticVersionId'] },
  },
];

export const rewardAssigned = defineEvent({
  type: 'reward.assigned',
  subjectKind: 'rl',
  subject: (data) => `rl:${data.rlRunId}`,
  description: 'A reward for a rollout: verifiable (0/1 from a verifier), self-critic or human.',
  schema: Type.Object(
    {
      rewardId: EntityId(),
      rolloutId: EntityId(),
      rlRunId: EntityId(),
      step: Step(),
      kind: Type.Union([
        Type.Literal('verifiable'),
        Type.Literal('self_critic'),
        Type.Literal('human'),
      ]),
      domain: Type.String({ minLength: 1, maxLength: 128 }),
      value: Type.Number(),
      verifier: Type.Optional(Type.Object({ name: EntityId(), version: EntityId() }, closed)),
      criticVersionId: Type.Optional(EntityId()),
      rubricIds: Type.Optional(Type.Array(EntityId())),
      hackCheck: Type.Optional(
        Type.Object({ flagged: Type.Boolean(), reason: Type.Optional(Type.String()) }, closed),
      ),
    },
    { ...closed, allOf: kindRules },
  ),
});
