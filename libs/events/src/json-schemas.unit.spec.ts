import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import {
  EVENT_DEFINITIONS,
  EVENT_TYPES,
  JSON_SCHEMAS_BASE_URL,
  buildJsonSchemas,
  decodeEvent,
  serializeJsonSchema,
  subjectTemplate,
} from '@tracker/events';
import {
  anyEventOf,
  criticComparedEvent,
  rewardAssignedEvent,
  rolloutCompletedEvent,
} from '@tracker/testing';

const schemas = buildJsonSchemas();
const fileNames = [
  'v1/envelope.schema.json',
  'v1/event.schema.json',
  ...EVENT_TYPES.map((type) => `v1/${type}.schema.json`),
];

// A consumer's validator: draft 2020-12, with formats, unknown keywords and formats being errors.
// Two of Ajv's lint rules stay off: `required` in an if/then naming a property defined beside
// it (strictRequired) and `properties` without `type: object` in a condition (strictTypes).
function compile(schema: object): ValidateFunction {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictTypes: false,
    allErrors: true,
  });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validators = new Map(
  Object.entries(schemas).map(([name, schema]) => [name, compile(schema)]),
);
const validatorOf = (name: string) => validators.get(name)!;

/** Validates with every schema that should describe `event`: its type's, the any-event one, the envelope. */
function verdicts(event: object, type: string) {
  return {
    [type]: validatorOf(`v1/${type}.schema.json`)(event),
    event: validatorOf('v1/event.schema.json')(event),
    envelope: validatorOf('v1/envelope.schema.json')(event),
  };
}

function edited<T>(event: T, change: (copy: any) => void): T {
  const copy = structuredClone(event);
  change(copy);
  return copy;
}

describe('buildJsonSchemas', () => {
  it('publishes one file per catalog type plus the envelope and the any-event schema', () => {
    expect(Object.keys(schemas).sort()).toEqual([...fileNames].sort());
    expect(Object.keys(schemas)).toHaveLength(18);
  });

  it.each(fileNames.map((name) => [name]))(
    '%s is a self-describing draft 2020-12 document',
    (name) => {
      expect(schemas[name]).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://post-training-tracker.dev/schemas/${name}`,
        title: expect.any(String),
        description: expect.any(String),
      });
      expect(JSON_SCHEMAS_BASE_URL).toBe('https://post-training-tracker.dev/schemas/');
      // nothing TypeBox-specific survives (symbol keys, functions)
      expect(JSON.parse(JSON.stringify(schemas[name]))).toEqual(schemas[name]);
      expect(Object.getOwnPropertySymbols((schemas[name] as any).properties ?? {})).toEqual([]);
    },
  );

  it.each(EVENT_DEFINITIONS.map((definition) => [definition.type, definition]))(
    '%s describes the whole envelope: its type, its subject kind, its payload',
    (type, definition) => {
      const schema = schemas[`v1/${type}.schema.json`] as any;
      expect(schema.required).toEqual([
        'specversion',
        'id',
        'source',
        'type',
        'subject',
        'time',
        'data',
      ]);
      expect(schema.properties.type).toMatchObject({ const: type });
      expect(schema.properties.subject.pattern).toBe(`^${definition.subjectKind}:.+$`);
      expect(schema.properties.subject.description).toBe(
        `${subjectTemplate(definition)}, the Kafka message key`,
      );
      expect(schema.properties.schemaversion).toMatchObject({ type: 'integer', const: 1 });
      // the payload schema is the very one the tracker validates with
      const { description, ...data } = schema.properties.data;
      expect(description).toBe(`the ${type} payload`);
      expect(data).toEqual(JSON.parse(JSON.stringify(definition.schema)));
      expect(data.additionalProperties).toBe(false);
    },
  );

  it('derives subject templates from the subject rules', () => {
    expect(
      Object.fromEntries(
        EVENT_DEFINITIONS.map((definition) => [definition.type, subjectTemplate(definition)]),
      ),
    ).toEqual({
      'tool.registered': 'tool:{toolId}',
      'agent.defined': 'agent:{agentId}',
      'task.defined': 'task:{taskId}',
      'synthesis.started': 'synthesis:{synthesisRunId}',
      'trajectory.recorded': 'synthesis:{synthesisRunId}',
      'synthesis.completed': 'synthesis:{synthesisRunId}',
      'dataset.members.added': 'dataset:{datasetId}',
      'dataset.sealed': 'dataset:{datasetId}',
      'rl.started': 'rl:{rlRunId}',
      'checkpoint.saved': 'rl:{rlRunId}',
      'rollout.completed': 'rl:{rlRunId}',
      'reward.assigned': 'rl:{rlRunId}',
      'critic.compared': 'rl:{rlRunId}',
      'critic.updated': 'rl:{rlRunId}',
      'rl.finished': 'rl:{rlRunId}',
      'evaluation.recorded': 'checkpoint:{checkpointId}',
    });
  });

  it('makes the any-event schema self-contained (no reference outside the file)', () => {
    const text = JSON.stringify(schemas['v1/event.schema.json']);
    const references = [...text.matchAll(/"\$ref":"([^"]*)"/g)].map((match) => match[1]);
    expect(references).toHaveLength(16);
    for (const reference of references) expect(reference).toMatch(/^#\/\$defs\//);
  });
});

describe('the published schemas, as a consumer validates with them', () => {
  it.each(EVENT_TYPES.map((type) => [type]))(
    'accept a valid %s, which the tracker accepts too',
    (type) => {
      const event = anyEventOf(type);
      expect(decodeEvent(event).ok).toBe(true);
      expect(verdicts(event, type)).toEqual({ [type]: true, event: true, envelope: true });
    },
  );

  it.each(EVENT_TYPES.map((type) => [type]))(
    'reject a %s with an unknown payload field',
    (type) => {
      const event = edited(anyEventOf(type), (copy) => (copy.data.unexpected = 1));
      expect(verdicts(event, type)).toEqual({ [type]: false, event: false, envelope: true });
      expect(validatorOf(`v1/${type}.schema.json`).errors).toContainEqual(
        expect.objectContaining({
          keyword: 'additionalProperties',
          params: { additionalProperty: 'unexpected' },
        }),
      );
    },
  );

  it.each(EVENT_TYPES.map((type) => [type]))(
    'reject a %s whose subject is of another kind',
    (type) => {
      const event = anyEventOf(type, {}, { subject: 'other-kind:x' });
      expect(verdicts(event, type)).toEqual({ [type]: false, event: false, envelope: true });
    },
  );

  it('reject an event checked against the schema of another type', () => {
    const reward = rewardAssignedEvent();
    expect(validatorOf('v1/rollout.completed.schema.json')(reward)).toBe(false);
  });

  it('reject an unknown type in the any-event schema; the envelope alone does not know types', () => {
    const event = { ...rewardAssignedEvent(), type: 'reward.given' };
    expect(verdicts(event, 'reward.assigned')).toEqual({
      'reward.assigned': false,
      event: false,
      envelope: true,
    });
  });

  it('reject a missing required field, a wrong type and a bad time', () => {
    const missing = edited(rolloutCompletedEvent(), (copy) => delete copy.data.responseTokens);
    const wrongType = rolloutCompletedEvent({ step: 'one' as never });
    const badTime = rolloutCompletedEvent({}, { time: 'yesterday' });
    for (const event of [missing, wrongType, badTime]) {
      expect(verdicts(event, 'rollout.completed')).toMatchObject({
        'rollout.completed': false,
        event: false,
      });
    }
    expect(validatorOf('v1/envelope.schema.json')(badTime)).toBe(false);
  });

  it('reject a verifiable reward of 0.5 or without verifier, and a self_critic one without critic', () => {
    const half = rewardAssignedEvent({ kind: 'verifiable', value: 0.5 });
    const noVerifier = edited(
      rewardAssignedEvent({ kind: 'verifiable', value: 1 }),
      (copy) => delete copy.data.verifier,
    );
    const noCritic = rewardAssignedEvent({ kind: 'self_critic', value: 0.7 });
    for (const event of [half, noVerifier, noCritic]) {
      expect(verdicts(event, 'reward.assigned')).toEqual({
        'reward.assigned': false,
        event: false,
        envelope: true,
      });
    }
    expect(
      verdicts(
        rewardAssignedEvent({ kind: 'self_critic', value: 0.7, criticVersionId: 'c1' }),
        'reward.assigned',
      ),
    ).toEqual({ 'reward.assigned': true, event: true, envelope: true });
  });

  it('reject an event id over 128 characters and a schemaversion other than 1', () => {
    for (const event of [
      rewardAssignedEvent({}, { id: 'e'.repeat(129) }),
      rewardAssignedEvent({}, { schemaversion: 2 }),
    ]) {
      expect(verdicts(event, 'reward.assigned')).toMatchObject({
        'reward.assigned': false,
        event: false,
      });
    }
  });

  it('cannot state the rules only the tracker checks (so docs/events.md lists them)', () => {
    const notCompared = criticComparedEvent({ rolloutIds: ['a', 'b'], preferredRolloutId: 'c' });
    expect(verdicts(notCompared, 'critic.compared')).toEqual({
      'critic.compared': true,
      event: true,
      envelope: true,
    });
    expect(decodeEvent(notCompared).ok).toBe(false);
  });
});

describe('the committed files under schemas/', () => {
  const root = join(__dirname, '..', '..', '..', 'schemas');

  it('are exactly what buildJsonSchemas() gives (run the schemas script after changing an event)', () => {
    const committed = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.split('\\').join('/'))
      .sort();
    expect(committed).toEqual([...fileNames].sort());
    for (const name of fileNames) {
      expect({ name, content: readFileSync(join(root, name), 'utf8') }).toEqual({
        name,
        content: serializeJsonSchema(schemas[name]),
      });
    }
  });

  it('are 2-space JSON with a trailing newline', () => {
    expect(serializeJsonSchema({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
