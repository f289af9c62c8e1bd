import type { TSchema } from '@sinclair/typebox';
import { EVENT_DEFINITIONS } from './catalog';
import type { EventDefinition } from './define-event';
import { EnvelopeSchema } from './envelope.schema';

/** The JSON Schema dialect of the published schemas. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Base of every published schema's `$id`; a file `v1/x.schema.json` has `$id` base + that name. */
export const JSON_SCHEMAS_BASE_URL = 'https://post-training-tracker.dev/schemas/';

// The wire format version: it changes only with the envelope, not with a payload's schemaversion.
const WIRE_VERSION = 'v1';

type JsonSchema = Record<string, unknown>;

// What publishing needs of a definition; `never` lets every payload-typed subject rule fit.
type PublishableDefinition = Pick<
  EventDefinition,
  'type' | 'subjectKind' | 'currentVersion' | 'description' | 'schema'
> & { readonly subject: (data: never) => string };

// JSON round trip drops TypeBox's symbol keys (Kind, Optional) and anything not JSON.
function plain(schema: TSchema | JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The subject rule as a template, e.g. `rl:{rlRunId}`, read by running it on named holes. */
export function subjectTemplate(definition: { readonly subject: (data: never) => string }): string {
  const holes = new Proxy(
    {},
    { get: (_target, key) => (typeof key === 'string' ? `{${key}}` : undefined) },
  );
  return definition.subject(holes as never);
}

function schemaVersionSchema(currentVersion: number): JsonSchema {
  return currentVersion === 1
    ? { type: 'integer', const: 1, description: 'payload schema version; absent means 1' }
    : {
        type: 'integer',
        const: currentVersion,
        description: `payload schema version; this schema describes version ${currentVersion}`,
      };
}

/** One catalog type's whole event: the envelope with `type` fixed, `subject` shaped and `data` typed. */
function eventSchema(definition: PublishableDefinition): JsonSchema {
  const envelope = plain(EnvelopeSchema);
  const properties = envelope.properties as Record<string, JsonSchema>;
  const required = envelope.required as string[];
  const { type, currentVersion } = definition;
  return {
    title: `${type} event`,
    description: `${definition.description} A CloudEvents 1.0 event in structured JSON mode; data is the ${type} payload at schema version ${currentVersion}.`,
    type: 'object',
    required: currentVersion > 1 ? [...required, 'schemaversion'] : required,
    properties: {
      ...properties,
      type: { const: type, description: 'the event type' },
      subject: {
        ...properties.subject,
        pattern: `^${escapeRegExp(definition.subjectKind)}:.+$`,
        description: `${subjectTemplate(definition)}, the Kafka message key`,
      },
      schemaversion: schemaVersionSchema(currentVersion),
      data: { description: `the ${type} payload`, ...plain(definition.schema) },
    },
    additionalProperties: true,
  };
}

function fileName(name: string): string {
  return `${WIRE_VERSION}/${name}.schema.json`;
}

function published(name: string, schema: JsonSchema): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: `${JSON_SCHEMAS_BASE_URL}${fileName(name)}`,
    ...schema,
  };
}

/**
 * The JSON Schemas published for producers in other languages, keyed by file name relative to
 * `schemas/`: `v1/<type>.schema.json` per catalog type (the whole event), `v1/envelope.schema.json`
 * (any envelope) and `v1/event.schema.json` (any catalog event, self-contained). Derived from the
 * same TypeBox schemas the tracker validates with. Rules JSON Schema cannot state (definition
 * `rules`) are not in them.
 */
export function buildJsonSchemas(): Record<string, object> {
  const definitions: readonly PublishableDefinition[] = EVENT_DEFINITIONS;
  const files: Record<string, object> = {};

  files[fileName('envelope')] = published('envelope', {
    title: 'tracker event envelope',
    description:
      'A CloudEvents 1.0 envelope in structured JSON mode as the tracker accepts it, whatever its type; data is checked against the schema of its type separately.',
    ...plain(EnvelopeSchema),
  });

  // Self-contained (no $ref to other files), so that a consumer needs no schema registry.
  files[fileName('event')] = published('event', {
    title: 'tracker event',
    description: 'Any event of the tracker catalog: the envelope, then the schema of its type.',
    type: 'object',
    required: ['type'],
    properties: {
      type: {
        enum: definitions.map((definition) => definition.type),
        description: 'the event type',
      },
    },
    allOf: definitions.map((definition) => ({
      if: { properties: { type: { const: definition.type } }, required: ['type'] },
      then: { $ref: `#/$defs/${definition.type}` },
    })),
    $defs: Object.fromEntries(
      definitions.map((definition) => [definition.type, eventSchema(definition)]),
    ),
  });

  for (const definition of definitions) {
    files[fileName(definition.type)] = published(definition.type, eventSchema(definition));
  }
  return files;
}

/** The bytes of a published schema file: 2-space JSON and a trailing newline. */
export function serializeJsonSchema(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
