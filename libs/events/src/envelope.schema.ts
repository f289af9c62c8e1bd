import { Type, type Static } from '@sinclair/typebox';

/** Largest serialized event the tracker takes, in bytes (UTF-8). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * The CloudEvents 1.0 structured-mode envelope. Extension attributes are allowed (CloudEvents
 * permits them); `data` is checked against the payload schema of `type` separately.
 */
export const EnvelopeSchema = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1, maxLength: 128, description: 'unique per logical event' }),
    source: Type.String({ minLength: 1, maxLength: 512, description: 'who emitted it' }),
    type: Type.String({ minLength: 1, description: 'one of the catalog types' }),
    subject: Type.String({ minLength: 3, maxLength: 300, description: 'KIND:ID, the Kafka key' }),
    time: Type.String({ format: 'date-time', description: 'RFC 3339, when it happened' }),
    datacontenttype: Type.Optional(Type.Literal('application/json')),
    schemaversion: Type.Optional(
      Type.Integer({ minimum: 1, description: 'payload version, default 1' }),
    ),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: true },
);

export type Envelope = Static<typeof EnvelopeSchema>;
