import fc from 'fast-check';
import { EVENT_TYPES, findDefinition, type EventType } from '@tracker/events';

// fast-check arbitraries of schema-valid wire events for all 16 types, shared by the decoder's
// property tests and the ingest fuzz suite. Optional fields come and go; strings range over all
// of Unicode (no NUL, no lone surrogates: the contract forbids those), numbers over the range.

/** What a generated event looks like on the wire (CloudEvents 1.0 structured mode). */
export interface GeneratedEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  data: Record<string, unknown>;
  [attribute: string]: unknown;
}

const MAX_INT32 = 2_147_483_647;

/** Any code points (a code point counts 1 towards maxLength, as for the validator), NUL-free. */
export const text = (minLength = 0, maxLength = 40): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'binary', minLength, maxLength })
    .map((value) => value.replaceAll('\u0000', '0'));

/** An entity id: mostly readable, sometimes any 1..128 code points. */
export const entityId = (prefix = 'id'): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.uuid().map((uuid) => `${prefix}-${uuid}`) },
    { weight: 1, arbitrary: text(1, 128) },
  );

const nonEmpty = text(1, 60);
const count = fc.integer({ min: 0, max: MAX_INT32 });
const step = count;
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const json = fc.jsonValue({ maxDepth: 3 });
const jsonObject = fc.dictionary(fc.string(), json, { maxKeys: 5 });
const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);

/** `fc.record` with only `required` keys always present. */
function payload<Model extends Record<string, fc.Arbitrary<unknown>>>(
  model: Model,
  required: ReadonlyArray<keyof Model>,
) {
  return fc.record(model, { requiredKeys: required as never[] }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

const toolCall = payload(
  { toolId: entityId('tool'), arguments: jsonObject, result: json, error: json },
  ['toolId', 'arguments'],
);
const turn = payload(
  {
    role: oneOf('system', 'user', 'assistant', 'tool'),
    content: fc.option(text(), { nil: null }),
    toolCalls: fc.array(toolCall, { maxLength: 3 }),
  },
  ['role', 'content'],
);

const rewardBase = {
  rewardId: entityId('reward'),
  rolloutId: entityId('rollout'),
  rlRunId: entityId('rl'),
  step,
  domain: text(1, 128),
  verifier: fc.record({ name: entityId('verifier'), version: entityId('v') }),
  criticVersionId: entityId('critic'),
  rubricIds: fc.array(entityId('rubric'), { maxLength: 3 }),
  hackCheck: payload({ flagged: fc.boolean(), reason: text() }, ['flagged']),
};
const rewardRequired = [
  'rewardId',
  'rolloutId',
  'rlRunId',
  'step',
  'kind',
  'domain',
  'value',
] as const;

/** A valid payload per type; conditional rules (reward kinds, comparisons) are built in. */
export const PAYLOADS: { [Type in EventType]: fc.Arbitrary<Record<string, unknown>> } = {
  'tool.registered': payload(
    {
      toolId: entityId('tool'),
      name: nonEmpty,
      description: text(),
      source: oneOf('mcp', 'synthetic'),
      origin: text(),
      evolvedFrom: fc.array(entityId('tool'), { maxLength: 3 }),
      domain: text(),
      inputSchema: jsonObject,
    },
    ['toolId', 'name', 'source', 'inputSchema'],
  ),
  'agent.defined': payload(
    {
      agentId: entityId('agent'),
      systemPrompt: nonEmpty,
      toolIds: fc.array(entityId('tool'), { maxLength: 4 }),
      synthesisRunId: entityId('synthesis'),
    },
    ['agentId', 'systemPrompt', 'toolIds'],
  ),
  'task.defined': payload(
    {
      taskId: entityId('task'),
      agentId: entityId('agent'),
      prompt: nonEmpty,
      rubric: fc.record({
        criteria: fc.array(fc.record({ id: entityId('criterion'), description: text() }), {
          maxLength: 3,
        }),
      }),
      domain: text(),
      difficulty: finite,
    },
    ['taskId', 'prompt'],
  ),
  'synthesis.started': payload(
    {
      synthesisRunId: entityId('synthesis'),
      project: entityId('project'),
      name: text(),
      generator: fc.record({ model: text() }),
      config: jsonObject,
    },
    ['synthesisRunId'],
  ),
  'trajectory.recorded': payload(
    {
      trajectoryId: entityId('trajectory'),
      synthesisRunId: entityId('synthesis'),
      taskId: entityId('task'),
      agentId: entityId('agent'),
      turns: fc.array(turn, { minLength: 1, maxLength: 4 }),
      judgement: payload(
        {
          passed: fc.boolean(),
          score: finite,
          criteria: fc.array(fc.record({ id: entityId('criterion'), passed: fc.boolean() }), {
            maxLength: 3,
          }),
          judge: fc.record({ model: text() }),
        },
        ['passed'],
      ),
    },
    ['trajectoryId', 'synthesisRunId', 'taskId', 'agentId', 'turns', 'judgement'],
  ),
  'synthesis.completed': payload(
    { synthesisRunId: entityId('synthesis'), status: oneOf('succeeded', 'failed') },
    ['synthesisRunId', 'status'],
  ),
  'dataset.members.added': payload(
    {
      datasetId: entityId('dataset'),
      version: fc.integer({ min: 1, max: MAX_INT32 }),
      memberKind: oneOf('trajectory', 'task'),
      memberIds: fc.array(entityId('member'), { minLength: 1, maxLength: 20 }),
    },
    ['datasetId', 'version', 'memberKind', 'memberIds'],
  ),
  'dataset.sealed': payload(
    {
      datasetId: entityId('dataset'),
      version: fc.integer({ min: 1, max: MAX_INT32 }),
      memberCount: count,
      contentHash: fc.stringMatching(/^[0-9a-f]{64}$/),
      purpose: oneOf('sft', 'rl', 'eval'),
      description: text(),
    },
    ['datasetId', 'version', 'memberCount', 'contentHash'],
  ),
  'rl.started': payload(
    {
      rlRunId: entityId('rl'),
      project: entityId('project'),
      name: text(),
      policy: payload({ model: nonEmpty, baseCheckpointId: entityId('checkpoint') }, ['model']),
      datasets: fc.array(
        fc.record({
          datasetId: entityId('dataset'),
          version: fc.integer({ min: 1, max: MAX_INT32 }),
        }),
        { maxLength: 3 },
      ),
      criticVersionId: entityId('critic'),
      config: jsonObject,
    },
    ['rlRunId', 'policy'],
  ),
  'checkpoint.saved': payload(
    {
      checkpointId: entityId('checkpoint'),
      rlRunId: entityId('rl'),
      step,
      uri: text(),
      parentCheckpointId: entityId('checkpoint'),
    },
    ['checkpointId', 'rlRunId', 'step'],
  ),
  'rollout.completed': payload(
    {
      rolloutId: entityId('rollout'),
      rlRunId: entityId('rl'),
      step,
      taskId: entityId('task'),
      groupId: entityId('group'),
      policyCheckpointId: entityId('checkpoint'),
      gym: payload({ template: text(), domain: text() }, []),
      promptTokens: count,
      responseTokens: count,
      numTurns: count,
      numToolCalls: count,
      finishReason: oneOf('stop', 'length', 'repeat', 'budget', 'tool_error', 'partial', 'aborted'),
      partialOf: entityId('rollout'),
    },
    ['rolloutId', 'rlRunId', 'step', 'taskId', 'responseTokens'],
  ),
  'reward.assigned': fc.oneof(
    payload({ ...rewardBase, kind: fc.constant('verifiable'), value: oneOf(0, 1) }, [
      ...rewardRequired,
      'verifier',
    ]),
    payload({ ...rewardBase, kind: fc.constant('self_critic'), value: finite }, [
      ...rewardRequired,
      'criticVersionId',
    ]),
    payload({ ...rewardBase, kind: fc.constant('human'), value: finite }, rewardRequired),
  ),
  'critic.compared': fc
    .tuple(
      payload(
        {
          comparisonId: entityId('comparison'),
          rlRunId: entityId('rl'),
          step,
          criticVersionId: entityId('critic'),
          rubricIds: fc.array(entityId('rubric'), { maxLength: 3 }),
          rationale: text(),
        },
        ['comparisonId', 'rlRunId', 'step', 'criticVersionId'],
      ),
      fc.uniqueArray(entityId('rollout'), { minLength: 2, maxLength: 2 }),
      fc.nat(1),
    )
    .map(([data, rolloutIds, preferred]) => ({
      ...data,
      rolloutIds,
      preferredRolloutId: rolloutIds[preferred],
    })),
  'critic.updated': payload(
    {
      criticVersionId: entityId('critic'),
      parentCriticVersionId: entityId('critic'),
      rlRunId: entityId('rl'),
      step,
      rolloutCount: count,
      agreement: fc.array(
        fc.record({
          domain: nonEmpty,
          accuracy: fc.double({ min: 0, max: 1, noNaN: true }),
          samples: count,
        }),
        { maxLength: 3 },
      ),
    },
    ['criticVersionId', 'rlRunId', 'step'],
  ),
  'rl.finished': payload(
    {
      rlRunId: entityId('rl'),
      status: oneOf('succeeded', 'failed', 'cancelled'),
      finalCheckpointId: entityId('checkpoint'),
    },
    ['rlRunId', 'status'],
  ),
  'evaluation.recorded': payload(
    {
      evaluationId: entityId('evaluation'),
      checkpointId: entityId('checkpoint'),
      benchmark: nonEmpty,
      metric: nonEmpty,
      value: finite,
      samples: count,
    },
    ['evaluationId', 'checkpointId', 'benchmark', 'metric', 'value'],
  ),
};

// Extension attribute names per CloudEvents: lowercase letters and digits.
const extensionName = fc
  .stringMatching(/^[a-z][a-z0-9]{0,19}$/)
  .filter(
    (name) =>
      !['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'].includes(name) &&
      !['datacontenttype', 'schemaversion'].includes(name),
  );

const time = fc
  .date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString());

/** A valid event of `type` (subject derived from the payload, as the contract says). */
export function eventOf(type: EventType): fc.Arbitrary<GeneratedEvent> {
  const subject = findDefinition(type)!.subject as (data: unknown) => string;
  return fc
    .record(
      {
        id: entityId('event'),
        source: text(1, 512),
        time,
        datacontenttype: fc.constant('application/json'),
        schemaversion: fc.constant(1),
        extensions: fc.dictionary(extensionName, json, { maxKeys: 2 }),
        data: PAYLOADS[type],
      },
      { requiredKeys: ['id', 'source', 'time', 'extensions', 'data'] },
    )
    .map(({ extensions, data, ...envelope }) => ({
      ...extensions,
      specversion: '1.0' as const,
      type,
      subject: subject(data),
      ...envelope,
      data,
    }));
}

/** A valid event of any of the 16 types. */
export const anyEvent: fc.Arbitrary<GeneratedEvent> = fc.oneof(...EVENT_TYPES.map(eventOf));
