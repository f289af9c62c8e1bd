import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_DEFINITIONS } from './catalog';
import { EnvelopeSchema, MAX_EVENT_BYTES } from './envelope.schema';
import type { EventDefinition } from './define-event';
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
// runs only to explain a failure (verbose, so that errors carry the schema that failed).
function compilePair(schema: object): { fast: ValidateFunction; explain: ValidateFunction } {
  const fast = new Ajv({ allErrors: false, strict: false });
  const explain = new Ajv({ allErrors: true, verbose: true, strict: false });
  addFormats(fast, ['date-time']);
  addFormats(explain, ['date-time']);
  return { fast: fast.compile(schema), explain: explain.compile(schema) };
}

const envelopeValidator = compilePair(EnvelopeSchema);

/** Renders a JSON pointer (`/turns/0/role`) as `turns[0].role` under `prefix`. */
function fieldPath(prefix: string, pointer: string, property?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = prefix;
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path ? `.${part}` : part;
  // `property` (missing or unknown) is always an object key: a field named "0" is not `[0]`.
  if (property !== undefined) path += path ? `.${property}` : property;
  return path || '(event)';
}

/** A received value for a message, cut short so that one bad field cannot flood the reason. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value); // a BigInt (from a caller's object, never from JSON) has no JSON
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type SchemaObject = Record<string, unknown>;

/**
 * What the branches of an `anyOf` accept, e.g. `one of "a", "b"` for a union of literals or
 * `string or null` for a union of types; undefined when the branches are anything richer.
 */
function describeBranches(branches: unknown): string | undefined {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const schemas = branches as SchemaObject[];
  if (schemas.every((branch) => branch && 'const' in branch)) {
    return `one of ${schemas.map((branch) => JSON.stringify(branch.const)).join(', ')}`;
  }
  const onlyType = (branch: SchemaObject) =>
    typeof branch?.type === 'string' &&
    Object.keys(branch).every((key) => key === 'type' || key === 'description');
  if (schemas.every(onlyType)) return schemas.map((branch) => branch.type as string).join(' or ');
  return undefined;
}

/** `when data.kind is "verifiable"` for an `if` made of const properties, else undefined. */
function describeCondition(
  condition: unknown,
  prefix: string,
  pointer: string,
): string | undefined {
  const properties = (condition as SchemaObject | undefined)?.properties as
    Record<string, SchemaObject> | undefined;
  if (!properties) return undefined;
  const parts = Object.entries(properties).map(([name, schema]) =>
    schema && 'const' in schema
      ? `${fieldPath(prefix, pointer, name)} is ${JSON.stringify(schema.const)}`
      : undefined,
  );
  if (parts.length === 0 || parts.includes(undefined)) return undefined;
  return `when ${parts.join(' and ')}`;
}

function describe(error: ErrorObject, prefix: string): string | undefined {
  const params = error.params as Record<string, unknown>;
  const value = error.data;
  switch (error.keyword) {
    case 'if':
      return undefined; // the failing `then` branch is reported on its own
    case 'required':
      return `${fieldPath(prefix, error.instancePath, String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${fieldPath(prefix, error.instancePath, String(params.additionalProperty))}: is not a known field`;
    case 'enum':
      return `${fieldPath(prefix, error.instancePath)}: must be one of ${(
        params.allowedValues as unknown[]
      )
        .map((allowed) => JSON.stringify(allowed))
        .join(', ')} (got ${shown(value)})`;
    case 'const':
      return `${fieldPath(prefix, error.instancePath)}: must be ${JSON.stringify(params.allowedValue)} (got ${shown(value)})`;
    case 'anyOf':
      return `${fieldPath(prefix, error.instancePath)}: must be ${
        describeBranches(error.schema) ?? 'one of the allowed values'
      } (got ${shown(value)})`;
    case 'format':
      return `${fieldPath(prefix, error.instancePath)}: must be ${
        params.format === 'date-time'
          ? 'an RFC 3339 date-time'
          : `in format ${JSON.stringify(params.format)}`
      } (got ${shown(value)})`;
    case 'type':
      return `${fieldPath(prefix, error.instancePath)}: ${error.message ?? 'has the wrong type'} (got ${shown(value)})`;
    default:
      return `${fieldPath(prefix, error.instancePath)}: ${error.message ?? error.keyword}`;
  }
}

function explain(validator: ValidateFunction, value: unknown, prefix: string): string {
  validator(value);
  const errors = validator.errors ?? [];
  // An anyOf is summarised by its own error; the per-branch errors under it would only repeat it.
  const anyOfPaths = errors
    .filter((error) => error.keyword === 'anyOf')
    .map((error) => `${error.schemaPath}/`);
  // A failing `then` names its condition, so `verifier: is required` says when it is required.
  const conditions = errors
    .filter((error) => error.keyword === 'if')
    .map((error) => ({
      thenPath: `${error.schemaPath.slice(0, -'if'.length)}then/`,
      text: describeCondition(error.parentSchema?.if, prefix, error.instancePath),
    }));
  const messages = errors
    .filter((error) => !anyOfPaths.some((path) => error.schemaPath.startsWith(path)))
    .map((error) => {
      const message = describe(error, prefix);
      const condition = conditions.find((candidate) =>
        error.schemaPath.startsWith(candidate.thenPath),
      );
      return message && condition?.text ? `${message} ${condition.text}` : message;
    })
    .filter((message): message is string => message !== undefined);
  return [...new Set(messages)].join('; ') || 'is invalid';
}

/**
 * Brings a payload sent at `version` up to `definition.currentVersion` by applying its
 * upcasters in turn (n -> n + 1). Pure; throws if `version` is not one the definition knows.
 */
export function upcast(
  definition: Pick<EventDefinition, 'type' | 'currentVersion' | 'upcasters'>,
  version: number,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (!Number.isInteger(version) || version < 1 || version > definition.currentVersion) {
    throw new RangeError(
      `${definition.type}: cannot upcast from schema version ${version} (current is ${definition.currentVersion})`,
    );
  }
  let current = data;
  for (let step = version; step < definition.currentVersion; step++) {
    current = definition.upcasters[step](current);
  }
  return current;
}

function reject(reason: string, eventId?: string, type?: string): DecodeResult {
  return { ok: false, rejection: { reason, eventId, type } };
}

/**
 * What the decoder needs of a definition. Payload-typed functions take `never` so that every
 * catalog definition fits; the decoder only calls them with data its schema has validated.
 */
export type DecodableDefinition = Pick<
  EventDefinition,
  'type' | 'currentVersion' | 'upcasters' | 'schema'
> & {
  readonly subject: (data: never) => string;
  readonly rules: ReadonlyArray<(data: never) => { field: string; message: string } | undefined>;
};

type Rule = (data: unknown) => { field: string; message: string } | undefined;

/**
 * A decoder over `definitions`. The tracker uses the catalog's (`decodeEvent`); tests build
 * one over throwaway definitions, e.g. to exercise upcasting end to end.
 */
export function createEventDecoder(
  definitions: readonly DecodableDefinition[],
): (input: unknown) => DecodeResult {
  const byType = new Map(definitions.map((definition) => [definition.type, definition]));
  const dataValidators = new Map(
    definitions.map((definition) => [definition.type, compilePair(definition.schema)]),
  );
  const knownTypes = definitions.map((definition) => definition.type).join(', ');

  return function decode(input) {
    let parsed: unknown = input;
    if (typeof input === 'string' || Buffer.isBuffer(input)) {
      const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
      if (bytes > MAX_EVENT_BYTES) {
        return reject(`event is ${bytes} bytes, more than the ${MAX_EVENT_BYTES}-byte limit`);
      }
      const text = typeof input === 'string' ? input : input.toString('utf8');
      if (
        Buffer.isBuffer(input) &&
        text.includes('\uFFFD') &&
        !Buffer.from(text, 'utf8').equals(input)
      ) {
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

    // First, before anything recurses into the event (the validators' messages, the log's
    // JSON.stringify): 10,000 nested arrays would overflow the stack, a cycle never end.
    const unstorable = findUnstorable(envelope);
    if (unstorable?.depth) return reject(unstorable.reason, eventId, type);
    if (!envelopeValidator.fast(envelope)) {
      return reject(explain(envelopeValidator.explain, envelope, ''), eventId, type);
    }
    if (unstorable) return reject(unstorable.reason, eventId, type);
    // RFC 3339 allows year 0000, which Postgres (and the proleptic calendar) does not have.
    if (
      Number.isNaN(Date.parse(envelope.time as string)) ||
      (envelope.time as string).startsWith('0000')
    ) {
      return reject(
        `time: ${JSON.stringify(envelope.time)} is not a valid timestamp`,
        eventId,
        type,
      );
    }
    const definition = byType.get(type as string);
    if (!definition) {
      return reject(
        `type: unknown event type ${JSON.stringify(type)}; known types: ${knownTypes}`,
        eventId,
        type,
      );
    }

    const schemaVersion = (envelope.schemaversion as number | undefined) ?? 1;
    if (schemaVersion > definition.currentVersion) {
      return reject(
        `schemaversion: ${schemaVersion} is newer than this tracker knows for ${definition.type} (${definition.currentVersion})`,
        eventId,
        type,
      );
    }
    let data: Record<string, unknown>;
    try {
      data = upcast(definition, schemaVersion, envelope.data as Record<string, unknown>);
    } catch (error) {
      // An upcaster meets old producer data; when that data is malformed the event is at fault.
      return reject(
        `data: cannot be upcast from schemaversion ${schemaVersion} to ${definition.currentVersion}: ${(error as Error).message}`,
        eventId,
        type,
      );
    }

    const validator = dataValidators.get(definition.type)!;
    if (!validator.fast(data)) {
      return reject(explain(validator.explain, data, 'data'), eventId, type);
    }
    for (const rule of definition.rules as ReadonlyArray<Rule>) {
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
      subject: envelope.subject,
      time: envelope.time as string,
      schemaVersion,
      data,
      envelope,
    } as TrackerEvent;
    return { ok: true, event };
  };
}

/**
 * Parses and validates one event: envelope, known type, schema version, payload, subject rule.
 * The payload comes back upcast to the current version of its type. Never throws on bad input.
 */
export function decodeEvent(input: unknown): DecodeResult {
  return decodeCatalogEvent(input);
}

const decodeCatalogEvent = createEventDecoder(EVENT_DEFINITIONS);

/** Deepest nesting of objects and arrays in an event; the envelope itself is level 1. */
export const MAX_EVENT_DEPTH = 100;

// A UTF-16 surrogate without its pair: JSON can carry it (`"\ud800"`), UTF-8 cannot.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringProblem(text: string): string | undefined {
  // Postgres text and JSON cannot hold NUL: refuse it here rather than dead-letter it later.
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  // The driver would store U+FFFD instead, silently merging ids such as "a\ud800" and "a\udc00".
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates (not UTF-8)';
  return undefined;
}

interface Visit {
  readonly value: unknown;
  readonly parent?: Visit;
  readonly key?: string | number;
  readonly depth: number;
}

/** The visits from the envelope's attribute down to `visit` (the envelope itself left out). */
function chainOf(visit: Visit): Visit[] {
  const chain: Visit[] = [];
  for (let at: Visit | undefined = visit; at?.parent; at = at.parent) chain.unshift(at);
  return chain;
}

function pathOf(chain: readonly Visit[]): string {
  let path = '';
  for (const { key } of chain)
    path += typeof key === 'number' ? `[${key}]` : path ? `.${key}` : key;
  return path || '(event)';
}

/**
 * The first value (in document order) that cannot be stored as sent: nesting deeper than
 * MAX_EVENT_DEPTH (or a cycle), a string or key with NUL or a lone surrogate, a number that is
 * not finite (`1e400` parses to Infinity, which JSON.stringify would turn into null).
 * Iterative, so that no input can overflow the stack.
 */
function findUnstorable(root: object): { reason: string; depth: boolean } | undefined {
  const stack: Visit[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value, depth, key } = visit;
    const keyProblem = typeof key === 'string' ? stringProblem(key) : undefined;
    if (keyProblem) return { reason: `${pathOf(chainOf(visit))}: ${keyProblem}`, depth: false };
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { reason: `${pathOf(chainOf(visit))}: ${problem}`, depth: false };
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      const reason = `${pathOf(chainOf(visit))}: must be a finite number (got ${value})`;
      return { reason, depth: false };
    } else if (value !== null && typeof value === 'object') {
      if (depth > MAX_EVENT_DEPTH) {
        // Named by its field (`ext`, `data.config`), not by a path a hundred levels long.
        const chain = chainOf(visit);
        const field = chain.slice(0, chain[0]?.key === 'data' ? 2 : 1);
        const reason = `${pathOf(field)}: nests objects and arrays deeper than the ${MAX_EVENT_DEPTH}-level limit`;
        return { reason, depth: true };
      }
      // Pushed last to first, so that the first child is visited first.
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index--)
          stack.push({ value: value[index], parent: visit, key: index, depth: depth + 1 });
      } else {
        const entries = Object.entries(value);
        for (let index = entries.length - 1; index >= 0; index--) {
          const [name, item] = entries[index];
          stack.push({ value: item, parent: visit, key: name, depth: depth + 1 });
        }
      }
    }
  }
  return undefined;
}
