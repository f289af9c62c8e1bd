import { Type } from '@sinclair/typebox';

// Building blocks shared by the payload schemas, so that every id obeys one rule.

/** A producer-assigned entity id: 1..128 characters. */
export const EntityId = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 128, ...(description ? { description } : {}) });

export const NonEmptyText = (description?: string) =>
  Type.String({ minLength: 1, ...(description ? { description } : {}) });

/** Free-form JSON object (configs, JSON Schemas, tool arguments). */
export const JsonObject = (description?: string) =>
  Type.Record(Type.String(), Type.Unknown(), { ...(description ? { description } : {}) });

/** Largest step, count or version: they are stored as 32-bit integers. */
export const MAX_INT32 = 2_147_483_647;

export const Step = () =>
  Type.Integer({ minimum: 0, maximum: MAX_INT32, description: 'training step' });
export const Count = (description?: string) =>
  Type.Integer({ minimum: 0, maximum: MAX_INT32, ...(description ? { description } : {}) });

/** Payload objects are closed: an unknown field is most often a typo that would lose data. */
export const closed = { additionalProperties: false } as const;
