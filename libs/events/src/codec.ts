import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_DEFINITIONS, findDefinition } from './catalog';
import { EnvelopeSchema, MAX_EVENT_BYTES } from './envelope.schema';
import type { TrackerEvent } from './tracker-event';

/** Why an event was refused: the field (dotted path from the envelope) and the broken rule. */
export interface EventRejection {
  readonly reason: string;
  readonly eventId?: string;
  readonly type?: string;
}

export type DecodeResult =
  | { readonly ok: true; readonly event: TrackerEvent }
  | { readonly ok: false; readonly rejection: EventRejection };

// Two validators per schema: a fast one for the common valid case and an all-errors one that
// runs only to explain a failure.
function compilePair(schema: object): { fast: ValidateFunction; explain: ValidateFunction } {
  const fast = new Ajv({ allErrors: false, strict: false });
  const explain = new Ajv({ allErrors: true, strict: false });
  addFormats(fast, ['date-time']);
  addFormats(explain, ['date-time']);
  return { fast: fast.compile(schema), explain: explain.compile(schema) };
}

const envelopeValidator = compilePair(EnvelopeSchema);
const dataValidators = new Map(
  EVENT_DEFINITIONS.map((definition) => [definition.type, compilePair(definition.schema)]),
);

const knownTypes = EVENT_DEFINITIONS.map((definition) => definition.type).join(', ');

/** Renders a JSON pointer (`/turns/0/role`) as `turns[0].role` under `prefix`. */
function fieldPath(prefix: string, pointer: string, property?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (property !== undefined) parts.push(property);
  let path = prefix;
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path ? `.${part}` : part;
  return path || '(event)';
}

function describe(error: ErrorObject, prefix: string, value: unknown): string | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` branch is reported on its own
    case 'required':
      return `${fieldPath(prefix, error.instancePath, String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${fieldPath(prefix, error.instancePath, String(params.additionalProperty))}: is not a known field`;
    case 'enum':
      return `${fieldPath(prefix, error.instancePath)}: must be one of ${(params.allowedValues as unknown[])
        .map((allowed) => JSON.stringify(allowed))
        .join(', ')} (got ${JSON.stringify(value)})`;
    case 'const':
      return `${fieldPath(prefix, error.instancePath)}: must be ${JSON.stringify(params.allowedValue)} (got ${JSON.stringify(value)})`;
    case 'anyOf':
      return `${fieldPath(prefix, error.instancePath)}: must be one of the allowed values (got ${JSON.stringify(value)})`;
    default:
      return `${fieldPath(prefix, error.instancePath)}: ${error.message ?? error.keyword}`;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const part of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function explain(validator: ValidateFunction, value: unknown, prefix: string): string {
  validator(value);
  const errors = validator.errors ?? [];
  // anyOf over literals yields one `const` error per branch; keep the anyOf summary instead.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const messages = errors
    .filter((error) => !(error.keyword === 'const' && anyOfPaths.has(error.instancePath)))
    .map((error) => describe(error, prefix, valueAt(value, error.instancePath)))
    .filter((message): message is string => message !== undefined);
  return [...new Set(messages)].join('; ') || 'is invalid';
}

function reject(reason: string, eventId?: string, type?: string): DecodeResult {
  return { ok: false, rejection: { reason, eventId, type } };
}

/**
 * Parses and validates one event: envelope, known type, schema version, payload, subject rule.
 * The payload comes back upcast to the current version of its type. Never throws on bad input.
 */
export function decodeEvent(input: string | Buffer | unknown): DecodeResult {
  let parsed: unknown = input;
  if (typeof input === 'string' || Buffer.isBuffer(input)) {
    const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
    if (bytes > MAX_EVENT_BYTES) {
      return reject(`event is ${bytes} bytes, more than the ${MAX_EVENT_BYTES}-byte limit`);
    }
    const text = typeof input === 'string' ? input : input.toString('utf8');
    if (Buffer.isBuffer(input) && text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(input)) {
      return reject('event is not valid UTF-8');
    }
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return reject(`event is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return reject('event must be a JSON object (a CloudEvents envelope)');
  }
  const envelope = parsed as Record<string, unknown>;
  const eventId = typeof envelope.id === 'string' ? envelope.id : undefined;
  const type = typeof envelope.type === 'string' ? envelope.type : undefined;

  if (!envelopeValidator.fast(envelope)) {
    return reject(explain(envelopeValidator.explain, envelope, ''), eventId, type);
  }
  if (Number.isNaN(Date.parse(envelope.time as string))) {
    return reject(`time: ${JSON.stringify(envelope.time)} is not a valid timestamp`, eventId, type);
  }
  const definition = findDefinition(type as string);
  if (!definition) {
    return reject(`type: unknown event type ${JSON.stringify(type)}; known types: ${knownTypes}`, eventId, type);
  }

  const schemaVersion = (envelope.schemaversion as number | undefined) ?? 1;
  if (schemaVersion > definition.currentVersion) {
    return reject(
      `schemaversion: ${schemaVersion} is newer than this tracker knows for ${definition.type} (${definition.currentVersion})`,
      eventId,
      type,
    );
  }
  let data = envelope.data as Record<string, unknown>;
  for (let version = schemaVersion; version < definition.currentVersion; version++) {
    data = definition.upcasters[version](data);
  }

  const validator = dataValidators.get(definition.type)!;
  if (!validator.fast(data)) {
    return reject(explain(validator.explain, data, 'data'), eventId, type);
  }
  for (const rule of definition.rules as ReadonlyArray<(data: unknown) => { field: string; message: string } | undefined>) {
    const broken = rule(data);
    if (broken) return reject(`data.${broken.field}: ${broken.message}`, eventId, type);
  }
  const expectedSubject = (definition.subject as (data: unknown) => string)(data);
  if (envelope.subject !== expectedSubject) {
    return reject(
      `subject: must be ${JSON.stringify(expectedSubject)} for ${definition.type} (got ${JSON.stringify(envelope.subject)})`,
      eventId,
      type,
    );
  }

  const event = {
    id: envelope.id as string,
    type: definition.type,
    source: envelope.source as string,
    subject: envelope.subject as string,
    time: envelope.time as string,
    schemaVersion,
    data,
    envelope,
  } as TrackerEvent;
  return { ok: true, event };
}
