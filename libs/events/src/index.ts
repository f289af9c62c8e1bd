export { defineEvent } from './define-event';
export type { EventDefinition, Upcaster, DataRule } from './define-event';
export { EnvelopeSchema, MAX_EVENT_BYTES } from './envelope.schema';
export type { Envelope } from './envelope.schema';
export { EVENT_DEFINITIONS, EVENT_TYPES, findDefinition, isEventType } from './catalog';
export type { EventType, EventData } from './catalog';
export type { TrackerEvent, TrackerEventOf } from './tracker-event';
export { decodeEvent, createEventDecoder, upcast, MAX_EVENT_DEPTH } from './codec';
export type { DecodeResult, EventRejection, DecodableDefinition } from './codec';
export { FINISH_REASONS } from './definitions/rollout-completed.event';
export { MAX_MEMBERS_PER_EVENT } from './definitions/dataset-members-added.event';
export {
  buildJsonSchemas,
  serializeJsonSchema,
  subjectTemplate,
  JSON_SCHEMAS_BASE_URL,
} from './json-schemas';
export { datasetContentHash } from './dataset-content-hash';
