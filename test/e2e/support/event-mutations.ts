import fc from 'fast-check';
import { EVENT_TYPES, findDefinition, MAX_EVENT_DEPTH } from '@tracker/events';
import { anyEvent, text, type GeneratedEvent } from './event-arbitraries';

// Ways to break a valid generated event, each with the rejection it must get: the field the
// reason names and the start of the rule. Shared by the decoder properties and the ingest fuzz.

/** What a mutation must be told: one `; `-separated part of the reason starts with this. */
export interface ExpectedRejection {
  /** Dotted path as the decoder writes it (`data.turns[0].role`); '' when there is no field. */
  readonly field: string;
  readonly rule: string;
}

export interface Mutant {
  readonly kind: string;
  /** What is sent: an object, or JSON text. */
  readonly input: unknown;
  /** The id the rejection must carry; undefined when the event has no readable id. */
  readonly id: string | undefined;
  readonly expected: ExpectedRejection;
}

/** Whether `reason` says what `expected` asks for. */
export function reasonMatches(reason: string, expected: ExpectedRejection): boolean {
  const prefix = expected.field ? `${expected.field}: ${expected.rule}` : expected.rule;
  return reason.startsWith(prefix) || reason.split('; ').some((part) => part.startsWith(prefix));
}

type Key = string | number;
type Json = Record<string, any>;

/** The decoder's rendering of a path: `data.turns[0].role`. */
export function formatPath(keys: readonly Key[]): string {
  let path = '';
  for (const key of keys) path += typeof key === 'number' ? `[${key}]` : path ? `.${key}` : key;
  return path;
}

/** Every string value in `value`, with its path. */
function stringLeaves(value: unknown, keys: Key[] = []): Key[][] {
  if (typeof value === 'string') return [keys];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringLeaves(item, [...keys, index]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...keys, key]));
  return [];
}

/** A copy of `event` with the value at `keys` replaced by `change(old)`. */
function replaced(event: GeneratedEvent, keys: readonly Key[], change: (old: any) => unknown) {
  const copy = structuredClone(event) as Json;
  let parent: Json = copy;
  for (const key of keys.slice(0, -1)) parent = parent[key];
  parent[keys.at(-1)!] = change(parent[keys.at(-1)!]);
  return copy;
}

function schemaOf(event: GeneratedEvent) {
  return findDefinition(event.type)!.schema as unknown as {
    required: string[];
    properties: Record<string, { type?: string; maxLength?: number }>;
  };
}

const ENVELOPE_REQUIRED = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'];

const mutant = (
  kind: string,
  input: unknown,
  id: string | undefined,
  field: string,
  rule: string,
): Mutant => ({ kind, input, id, expected: { field, rule } });

/** A required attribute of the envelope or field of the payload left out. */
const dropRequired = anyEvent.chain((event) =>
  fc
    .constantFrom(
      ...ENVELOPE_REQUIRED.map((name) => [name]),
      ...schemaOf(event).required.map((name) => ['data', name]),
    )
    .map((keys) => {
      const copy = structuredClone(event) as Json;
      if (keys.length === 1) delete copy[keys[0]];
      else delete copy.data[keys[1]];
      return mutant(
        'drop a required field',
        copy,
        keys[0] === 'id' ? undefined : event.id,
        formatPath(keys),
        'is required',
      );
    }),
);

// A JSON value of each JSON type, and the schema types each one satisfies.
const VALUES_BY_TYPE: Array<[string[], fc.Arbitrary<unknown>]> = [
  [['string'], fc.string()],
  [
    ['number'],
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  ],
  [['number', 'integer'], fc.integer()],
  [['boolean'], fc.boolean()],
  [[], fc.constant(null)],
  [['array'], fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })],
  [['object'], fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 })],
];

/** A payload field (one with a JSON type, not a free-form one) given a value of another type. */
const wrongType = anyEvent.chain((event) => {
  const properties = schemaOf(event).properties;
  const typed = Object.keys(event.data).filter((name) => properties[name]?.type !== undefined);
  return fc.constantFrom(...typed).chain((name) => {
    const schemaType = properties[name].type!;
    const others = VALUES_BY_TYPE.filter(([types]) => !types.includes(schemaType));
    return fc.oneof(...others.map(([, values]) => values)).map((value) =>
      mutant(
        'a value of another JSON type',
        replaced(event, ['data', name], () => value),
        event.id,
        `data.${name}`,
        'must be',
      ),
    );
  });
});

/** A field the payload schema does not have (payloads are closed; the envelope is not). */
const unknownField = anyEvent.chain((event) =>
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((name) => !(name in schemaOf(event).properties) && name !== '__proto__')
    .map((name) =>
      mutant(
        'an unknown payload field',
        { ...event, data: { ...event.data, [name]: 1 } },
        event.id,
        `data.${name}`,
        'is not a known field',
      ),
    ),
);

/** `inserted` put into one string value anywhere in the event. */
const insertedIntoString = (kind: string, inserted: string) =>
  anyEvent.chain((event) =>
    fc.tuple(fc.constantFrom(...stringLeaves(event)), fc.nat()).map(([keys, at]) => {
      const input = replaced(event, keys, (old: string) => {
        const position = at % (old.length + 1);
        return old.slice(0, position) + inserted + old.slice(position);
      });
      // Whichever rule the changed value breaks first (NUL, length, format), it is named.
      return mutant(kind, input, keys[0] === 'id' ? undefined : event.id, formatPath(keys), '');
    }),
  );

/** NUL inserted into a key of the payload. */
const nulInKey = anyEvent.map((event) => {
  const [first] = Object.keys(event.data);
  const { [first]: value, ...rest } = event.data;
  const key = `${first}\u0000`;
  return mutant(
    'NUL in a payload key',
    { ...event, data: { [key]: value, ...rest } },
    event.id,
    `data.${key}`,
    'must not contain NUL (\\u0000) characters',
  );
});

/** An id of the envelope or the payload over 128 characters. */
const overLongId = anyEvent.chain((event) => {
  const properties = schemaOf(event).properties;
  const ids = Object.keys(event.data).filter((name) => properties[name]?.maxLength === 128);
  return fc
    .tuple(fc.constantFrom(['id'], ...ids.map((name) => ['data', name])), text(129, 300))
    .map(([keys, long]) =>
      mutant(
        'an id over 128 characters',
        replaced(event, keys, () => long),
        keys[0] === 'id' ? long : event.id,
        formatPath(keys),
        'must NOT have more than 128 characters',
      ),
    );
});

/** A type name outside the catalog. */
const unknownType = fc
  .tuple(
    anyEvent,
    fc.oneof(
      text(1, 40),
      fc.constantFrom(...EVENT_TYPES).map((type) => `${type}.v2`),
      fc.constantFrom(...EVENT_TYPES).map((type) => type.toUpperCase()),
    ),
  )
  .filter(([, type]) => !(EVENT_TYPES as readonly string[]).includes(type))
  .map(([event, type]) =>
    mutant(
      'an unknown type',
      { ...event, type },
      event.id,
      'type',
      `unknown event type ${JSON.stringify(type)}; known types: ${EVENT_TYPES.join(', ')}`,
    ),
  );

/** The JSON text of an event cut short. */
const truncatedText = anyEvent.chain((event) => {
  const json = JSON.stringify(event);
  return fc
    .integer({ min: 0, max: json.length - 1 })
    .map((length) =>
      mutant(
        'truncated JSON text',
        json.slice(0, length),
        undefined,
        '',
        'event is not valid JSON: ',
      ),
    );
});

/** `depth` nested arrays or objects, built without recursion. */
export function nested(depth: number, inObjects: boolean): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = inObjects ? { a: value } : [value];
  return value;
}

/** The JSON text of `nested(depth, inObjects)`, built without JSON.stringify (it would overflow). */
export function nestedText(depth: number, inObjects: boolean): string {
  return inObjects
    ? `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
}

const DEEP = '__deep__';

/** 10,000 levels of nesting in the payload, in an extension attribute or in a free-form field. */
const deepNesting = fc
  .tuple(anyEvent, fc.boolean(), fc.constantFrom('extension', 'payload', 'free-form'), fc.boolean())
  .map(([event, inObjects, where, asText]) => {
    // `DEEP` marks the spot, replaced by the nested value or its text.
    let shallow: Json;
    let field: string;
    if (where === 'extension') {
      shallow = { ...event, deep: DEEP };
      field = 'deep';
    } else if (where === 'payload') {
      shallow = { ...event, data: { ...event.data, deep: DEEP } };
      field = 'data.deep';
    } else {
      // rl.started's config is any JSON object: only the depth limit stops it.
      const data = { rlRunId: 'rl-deep', policy: { model: 'k2' }, config: { deep: DEEP } };
      shallow = { ...event, type: 'rl.started', subject: 'rl:rl-deep', data };
      field = 'data.config';
    }
    const input = asText
      ? JSON.stringify(shallow).replace(`"${DEEP}"`, nestedText(10_000, inObjects))
      : JSON.parse(JSON.stringify(shallow), (_, value) =>
          value === DEEP ? nested(10_000, inObjects) : value,
        );
    return mutant(
      'nesting 10,000 levels deep',
      input,
      event.id,
      field,
      `nests objects and arrays deeper than the ${MAX_EVENT_DEPTH}-level limit`,
    );
  });

/** Each kind of mutation, by name. */
export const MUTATIONS: Record<string, fc.Arbitrary<Mutant>> = {
  dropRequired,
  wrongType,
  unknownField,
  nulInValue: insertedIntoString('NUL in a string', '\u0000'),
  loneSurrogate: insertedIntoString('a lone surrogate in a string', '\ud800x'),
  nulInKey,
  overLongId,
  unknownType,
  truncatedText,
  deepNesting,
};

/** Any mutation. */
export const anyMutant: fc.Arbitrary<Mutant> = fc.oneof(...Object.values(MUTATIONS));
