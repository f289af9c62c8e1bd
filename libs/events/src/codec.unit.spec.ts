import { Type } from '@sinclair/typebox';
import {
  EVENT_TYPES,
  MAX_EVENT_BYTES,
  createEventDecoder,
  decodeEvent,
  defineEvent,
  upcast,
  type DecodeResult,
  type EventType,
} from '@tracker/events';
import {
  anyEventOf,
  criticComparedEvent,
  datasetMembersAddedEvent,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  trajectoryRecordedEvent,
} from '@tracker/testing';

function reasonOf(result: DecodeResult): string {
  if (result.ok)
    throw new Error(`expected a rejection, got ${result.event.type} ${result.event.id}`);
  return result.rejection.reason;
}

function expectAccepted(result: DecodeResult) {
  if (!result.ok) throw new Error(`expected the event to decode, got: ${result.rejection.reason}`);
  return result.event;
}

/** A deep copy with a mutation applied, so that the builder's output stays untouched. */
function edited<T>(event: T, change: (copy: any) => void): T {
  const copy = structuredClone(event);
  change(copy);
  return copy;
}

// Derived from the event type alone: what a subject must look like, per the contract.
const SUBJECT_FIELD: Record<EventType, string> = {
  'tool.registered': 'tool:toolId',
  'agent.defined': 'agent:agentId',
  'task.defined': 'task:taskId',
  'synthesis.started': 'synthesis:synthesisRunId',
  'trajectory.recorded': 'synthesis:synthesisRunId',
  'synthesis.completed': 'synthesis:synthesisRunId',
  'dataset.members.added': 'dataset:datasetId',
  'dataset.sealed': 'dataset:datasetId',
  'rl.started': 'rl:rlRunId',
  'checkpoint.saved': 'rl:rlRunId',
  'rollout.completed': 'rl:rlRunId',
  'reward.assigned': 'rl:rlRunId',
  'critic.compared': 'rl:rlRunId',
  'critic.updated': 'rl:rlRunId',
  'rl.finished': 'rl:rlRunId',
  'evaluation.recorded': 'checkpoint:checkpointId',
};

describe('decodeEvent', () => {
  it('knows exactly the 16 catalog types', () => {
    expect([...EVENT_TYPES].sort()).toEqual(Object.keys(SUBJECT_FIELD).sort());
  });

  describe.each(EVENT_TYPES.map((type) => [type]))('a valid %s', (type) => {
    it('decodes from an object, a string and a Buffer alike', () => {
      // given
      const sent = anyEventOf(type);
      const [kind, field] = SUBJECT_FIELD[type].split(':');
      // when
      const results = [sent, JSON.stringify(sent), Buffer.from(JSON.stringify(sent), 'utf8')].map(
        decodeEvent,
      );
      // then
      for (const result of results) {
        const event = expectAccepted(result);
        expect(event).toMatchObject({
          id: sent.id,
          type,
          source: sent.source,
          subject: `${kind}:${String((sent.data as Record<string, unknown>)[field])}`,
          time: sent.time,
          schemaVersion: 1,
        });
        // at schema version 1 the upcast payload is the payload sent
        expect(event.data).toEqual(sent.data);
        expect(event.envelope).toEqual(sent);
      }
    });

    it('has fresh ids on every build', () => {
      const first = anyEventOf(type);
      const second = anyEventOf(type);
      expect(second.id).not.toBe(first.id);
      expect(second.subject).not.toBe(first.subject);
    });
  });

  it('accepts an explicit schemaversion 1 and extension attributes', () => {
    const event = expectAccepted(
      decodeEvent(rewardAssignedEvent({}, { schemaversion: 1, traceparent: '00-abc' })),
    );
    expect(event.schemaVersion).toBe(1);
    expect(event.envelope.traceparent).toBe('00-abc');
  });

  describe('rejects with a reason that names the field and the rule', () => {
    it('a missing required field', () => {
      const event = edited(rewardAssignedEvent(), (copy) => delete copy.data.rolloutId);
      const result = decodeEvent(event);
      expect(reasonOf(result)).toBe('data.rolloutId: is required');
      // the rejection still says which event it was, for the dead letter
      expect(result).toMatchObject({ rejection: { eventId: event.id, type: 'reward.assigned' } });
    });

    it('a missing envelope attribute', () => {
      const event = edited(rewardAssignedEvent(), (copy) => delete copy.source);
      expect(reasonOf(decodeEvent(event))).toBe('source: is required');
    });

    it('a field of the wrong type', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({ step: '100' as never })))).toBe(
        'data.step: must be integer (got "100")',
      );
    });

    it('an unknown field in data', () => {
      const event = edited(rewardAssignedEvent(), (copy) => (copy.data.rolloutID = 'typo'));
      expect(reasonOf(decodeEvent(event))).toBe('data.rolloutID: is not a known field');
    });

    it('an unknown field nested in data', () => {
      const event = edited(
        trajectoryRecordedEvent(),
        (copy) => (copy.data.turns[1].toolCalls[0].args = {}),
      );
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.turns[1].toolCalls[0].args: is not a known field',
      );
    });

    it('every problem at once, not only the first', () => {
      const event = edited(rewardAssignedEvent(), (copy) => {
        delete copy.data.domain;
        copy.data.step = -1;
      });
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.domain: is required; data.step: must be >= 0',
      );
    });

    it('an unknown event type', () => {
      const event = { ...rewardAssignedEvent(), type: 'reward.assigned.v2' };
      const result = decodeEvent(event);
      expect(reasonOf(result)).toBe(
        'type: unknown event type "reward.assigned.v2"; known types: tool.registered, agent.defined, ' +
          'task.defined, synthesis.started, trajectory.recorded, synthesis.completed, dataset.members.added, ' +
          'dataset.sealed, rl.started, checkpoint.saved, rollout.completed, reward.assigned, critic.compared, ' +
          'critic.updated, rl.finished, evaluation.recorded',
      );
      expect(result).toMatchObject({
        rejection: { eventId: event.id, type: 'reward.assigned.v2' },
      });
    });

    it('a subject that does not follow from the payload', () => {
      const event = rewardAssignedEvent({ rlRunId: 'run-1' }, { subject: 'rl:run-2' });
      expect(reasonOf(decodeEvent(event))).toBe(
        'subject: must be "rl:run-1" for reward.assigned (got "rl:run-2")',
      );
    });

    it('a subject of the wrong kind', () => {
      const event = rolloutCompletedEvent({ rlRunId: 'run-1' }, { subject: 'rollout:run-1' });
      expect(reasonOf(decodeEvent(event))).toBe(
        'subject: must be "rl:run-1" for rollout.completed (got "rollout:run-1")',
      );
    });

    it('a schemaversion newer than the tracker knows', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { schemaversion: 2 })))).toBe(
        'schemaversion: 2 is newer than this tracker knows for reward.assigned (1)',
      );
    });

    it('a schemaversion that is not a positive integer', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { schemaversion: 0 })))).toBe(
        'schemaversion: must be >= 1',
      );
    });

    it('a time that is not an RFC 3339 timestamp', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { time: 'yesterday' })))).toBe(
        'time: must be an RFC 3339 date-time (got "yesterday")',
      );
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { time: '2026-02-30T12:00:00Z' })))).toBe(
        'time: must be an RFC 3339 date-time (got "2026-02-30T12:00:00Z")',
      );
    });

    it('a specversion other than 1.0', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { specversion: '0.3' })))).toBe(
        'specversion: must be "1.0" (got "0.3")',
      );
    });

    it('text that is not JSON', () => {
      const text = '{"specversion": "1.0", ';
      const parserMessage = (() => {
        try {
          JSON.parse(text);
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(reasonOf(decodeEvent(text))).toBe(`event is not valid JSON: ${parserMessage}`);
      expect(reasonOf(decodeEvent(Buffer.from(text)))).toBe(
        `event is not valid JSON: ${parserMessage}`,
      );
    });

    it.each([['[1, 2]'], ['null'], ['"reward.assigned"'], ['42']])(
      'JSON that is not an object: %s',
      (text) => {
        expect(reasonOf(decodeEvent(text))).toBe(
          'event must be a JSON object (a CloudEvents envelope)',
        );
      },
    );

    it('an event over 1 MiB, while one of exactly 1 MiB passes', () => {
      // given: an event padded to exactly the limit, then one byte more
      const base = JSON.stringify(criticComparedEvent({ rationale: '' }));
      const padding = 'x'.repeat(MAX_EVENT_BYTES - Buffer.byteLength(base));
      const atLimit = base.replace('"rationale":""', `"rationale":"${padding}"`);
      const overLimit = atLimit.replace('"rationale":"', '"rationale":"x');
      expect(Buffer.byteLength(atLimit)).toBe(MAX_EVENT_BYTES);
      // then
      expectAccepted(decodeEvent(atLimit));
      expect(reasonOf(decodeEvent(overLimit))).toBe(
        'event is 1048577 bytes, more than the 1048576-byte limit',
      );
      expect(reasonOf(decodeEvent(Buffer.from(overLimit)))).toBe(
        'event is 1048577 bytes, more than the 1048576-byte limit',
      );
    });

    it('a Buffer that is not valid UTF-8, while a real U+FFFD character passes', () => {
      const text = JSON.stringify(criticComparedEvent({ rationale: 'MARK' }));
      const [before, after] = text.split('MARK');
      const invalid = Buffer.concat([
        Buffer.from(before),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(after),
      ]);
      expect(reasonOf(decodeEvent(invalid))).toBe('event is not valid UTF-8');
      expectAccepted(decodeEvent(Buffer.from(text.replace('MARK', 'bad byte: \uFFFD'), 'utf8')));
    });

    it('an event id over 128 characters', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({}, { id: 'e'.repeat(129) })))).toBe(
        'id: must NOT have more than 128 characters',
      );
      expectAccepted(decodeEvent(rewardAssignedEvent({}, { id: 'e'.repeat(128) })));
    });

    it('an entity id over 128 characters', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({ rolloutId: 'r'.repeat(129) })))).toBe(
        'data.rolloutId: must NOT have more than 128 characters',
      );
    });

    it('a value outside a union of literals, listing the allowed ones', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({ kind: 'bad' as never })))).toBe(
        'data.kind: must be one of "verifiable", "self_critic", "human" (got "bad")',
      );
      expect(reasonOf(decodeEvent(rolloutCompletedEvent({ finishReason: 7 as never })))).toBe(
        'data.finishReason: must be one of "stop", "length", "repeat", "budget", "tool_error", "partial", "aborted" (got 7)',
      );
    });

    it('a value outside a union of types', () => {
      const event = edited(trajectoryRecordedEvent(), (copy) => (copy.data.turns[0].content = 5));
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.turns[0].content: must be string or null (got 5)',
      );
    });

    it('a verifiable reward of 0.5 without a verifier', () => {
      const event = edited(
        rewardAssignedEvent({ kind: 'verifiable', value: 0.5 }),
        (copy) => delete copy.data.verifier,
      );
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.verifier: is required when data.kind is "verifiable"; ' +
          'data.value: must be one of 0, 1 (got 0.5) when data.kind is "verifiable"',
      );
    });

    it('a verifiable reward of 0.5 with its verifier', () => {
      expect(reasonOf(decodeEvent(rewardAssignedEvent({ kind: 'verifiable', value: 0.5 })))).toBe(
        'data.value: must be one of 0, 1 (got 0.5) when data.kind is "verifiable"',
      );
    });

    it('a self_critic reward without criticVersionId, while one with it passes', () => {
      const withoutCritic = rewardAssignedEvent({
        kind: 'self_critic',
        value: 0.73,
        verifier: undefined,
      });
      expect(reasonOf(decodeEvent(JSON.stringify(withoutCritic)))).toBe(
        'data.criticVersionId: is required when data.kind is "self_critic"',
      );
      expectAccepted(
        decodeEvent(
          rewardAssignedEvent({ kind: 'self_critic', value: 0.73, criticVersionId: 'critic-3' }),
        ),
      );
    });

    it('a human reward needs neither verifier nor critic and may be any number', () => {
      const event = edited(
        rewardAssignedEvent({ kind: 'human', value: -2.5 }),
        (copy) => delete copy.data.verifier,
      );
      expectAccepted(decodeEvent(event));
    });

    it('a comparison preferring a rollout it did not compare', () => {
      const event = criticComparedEvent({
        rolloutIds: ['rollout-a', 'rollout-b'],
        preferredRolloutId: 'rollout-c',
      });
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.preferredRolloutId: must be one of rolloutIds',
      );
    });

    it('a comparison of a rollout with itself', () => {
      const event = criticComparedEvent({ rolloutIds: ['rollout-a', 'rollout-a'] });
      expect(reasonOf(decodeEvent(event))).toBe(
        'data.rolloutIds: must name two different rollouts',
      );
    });

    it('a comparison of other than two rollouts', () => {
      const event = criticComparedEvent({ rolloutIds: ['rollout-a', 'rollout-b', 'rollout-c'] });
      expect(reasonOf(decodeEvent(event))).toBe('data.rolloutIds: must NOT have more than 2 items');
    });

    it('more than 10,000 members in one event, while exactly 10,000 pass', () => {
      const ids = (count: number) =>
        Array.from({ length: count }, (_, index) => `trajectory-${index}`);
      expectAccepted(decodeEvent(datasetMembersAddedEvent({ memberIds: ids(10_000) })));
      expect(reasonOf(decodeEvent(datasetMembersAddedEvent({ memberIds: ids(10_001) })))).toBe(
        'data.memberIds: must NOT have more than 10000 items',
      );
    });

    it('a long bad value is cut short in the reason', () => {
      const reason = reasonOf(decodeEvent(rewardAssignedEvent({ step: 'x'.repeat(500) as never })));
      expect(reason).toBe(`data.step: must be integer (got "${'x'.repeat(76)}...)`);
    });
  });
});

describe('upcasting', () => {
  // A throwaway type at schema version 3: v1 had `score` (0..100), v2 renamed it to `value`
  // (still 0..100), v3 scales `value` to 0..1.
  const scored = defineEvent({
    type: 'test.scored',
    subjectKind: 'run',
    subject: (data) => `run:${data.runId}`,
    description: 'throwaway',
    schema: Type.Object(
      { runId: Type.String(), value: Type.Number({ minimum: 0, maximum: 1 }) },
      {
        additionalProperties: false,
      },
    ),
    currentVersion: 3,
    upcasters: {
      1: ({ score, ...rest }) => {
        if (typeof score !== 'number') throw new TypeError('score must be a number');
        return { ...rest, value: score };
      },
      2: (data) => ({ ...data, value: (data.value as number) / 100 }),
    },
  });
  const decode = createEventDecoder([scored]);
  const envelope = (schemaversion: number | undefined, data: Record<string, unknown>) => ({
    specversion: '1.0',
    id: 'event-1',
    source: 'test',
    type: 'test.scored',
    subject: 'run:r1',
    time: '2026-11-28T12:00:00.123Z',
    ...(schemaversion === undefined ? {} : { schemaversion }),
    data,
  });

  it('applies every upcaster from the sent version to the current one, in order', () => {
    expect(upcast(scored, 1, { runId: 'r1', score: 40 })).toEqual({ runId: 'r1', value: 0.4 });
    expect(upcast(scored, 2, { runId: 'r1', value: 40 })).toEqual({ runId: 'r1', value: 0.4 });
    expect(upcast(scored, 3, { runId: 'r1', value: 0.4 })).toEqual({ runId: 'r1', value: 0.4 });
  });

  it('does not change the payload it was given', () => {
    const sent = { runId: 'r1', score: 40 };
    upcast(scored, 1, sent);
    expect(sent).toEqual({ runId: 'r1', score: 40 });
  });

  it('refuses versions the definition does not know', () => {
    expect(() => upcast(scored, 4, {})).toThrow(
      'test.scored: cannot upcast from schema version 4 (current is 3)',
    );
    expect(() => upcast(scored, 0, {})).toThrow(
      'test.scored: cannot upcast from schema version 0 (current is 3)',
    );
  });

  it('defineEvent requires an upcaster for every version below the current one', () => {
    expect(() =>
      defineEvent({
        type: 'test.gap',
        subjectKind: 'run',
        subject: () => 'run:x',
        description: 'throwaway',
        schema: Type.Object({}),
        currentVersion: 3,
        upcasters: { 1: (data) => data },
      }),
    ).toThrow('test.gap: no upcaster from schema version 2 to 3');
  });

  it('the decoder upcasts an old event (absent schemaversion = 1) and validates the result', () => {
    const fromV1 = expectAccepted(decode(envelope(undefined, { runId: 'r1', score: 40 })));
    expect(fromV1.schemaVersion).toBe(1);
    expect(fromV1.data).toEqual({ runId: 'r1', value: 0.4 });
    // the journal keeps what was sent
    expect(fromV1.envelope.data).toEqual({ runId: 'r1', score: 40 });

    const fromV2 = expectAccepted(decode(envelope(2, { runId: 'r1', value: 40 })));
    expect(fromV2).toMatchObject({ schemaVersion: 2, data: { runId: 'r1', value: 0.4 } });
    const current = expectAccepted(decode(envelope(3, { runId: 'r1', value: 0.4 })));
    expect(current).toMatchObject({ schemaVersion: 3, data: { runId: 'r1', value: 0.4 } });
  });

  it('the decoder validates the upcast payload, not the sent one', () => {
    // 4000 -> 40: over the current maximum of 1
    expect(reasonOf(decode(envelope(2, { runId: 'r1', value: 4000 })))).toBe(
      'data.value: must be <= 1',
    );
    // a current-version payload sent as v2 is scaled once more and so fails nothing: 0.4 -> 0.004
    expect(expectAccepted(decode(envelope(2, { runId: 'r1', value: 0.4 }))).data).toEqual({
      runId: 'r1',
      value: 0.004,
    });
  });

  it('the decoder rejects, not throws, when an upcaster cannot read an old payload', () => {
    expect(reasonOf(decode(envelope(1, { runId: 'r1' })))).toBe(
      'data: cannot be upcast from schemaversion 1 to 3: score must be a number',
    );
  });

  it('the decoder rejects versions newer than the current one', () => {
    expect(reasonOf(decode(envelope(4, { runId: 'r1', value: 0.4 })))).toBe(
      'schemaversion: 4 is newer than this tracker knows for test.scored (3)',
    );
  });

  describe('values Postgres could not store', () => {
    const base = {
      specversion: '1.0',
      id: 'e-nul',
      source: 'test',
      type: 'rollout.completed',
      subject: 'rl:r1',
      time: '2026-11-28T12:00:00Z',
    };
    const rollout = { rolloutId: 'o1', rlRunId: 'r1', step: 1, taskId: 't1', responseTokens: 10 };

    it('refuses NUL characters in values and keys, naming the field', () => {
      const inValue = decodeEvent(
        JSON.stringify({ ...base, data: { ...rollout, gym: { template: 'a\u0000b' } } }),
      );
      expect(inValue).toMatchObject({
        ok: false,
        rejection: { reason: 'data.gym.template: must not contain NUL (\\u0000) characters' },
      });
      const inObject = decodeEvent({ ...base, source: 'x\u0000', data: rollout });
      expect(inObject).toMatchObject({
        ok: false,
        rejection: { reason: 'source: must not contain NUL (\\u0000) characters' },
      });
    });

    it('refuses, without overflowing the stack, JSON nested 10,000 levels deep', () => {
      const deep = `${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
      const text = JSON.stringify({ ...base, data: rollout }).replace(
        '"responseTokens":10',
        `"responseTokens":10,"x":${deep}`,
      );
      expect(decodeEvent(text)).toMatchObject({
        ok: false,
        rejection: { reason: 'data.x: nests objects and arrays deeper than the 100-level limit' },
      });
    });

    it('refuses lone surrogates (not UTF-8) and numbers beyond JSON (1e400), naming the field', () => {
      const surrogate = JSON.stringify({ ...base, data: { ...rollout, taskId: 'MARK' } });
      expect(decodeEvent(surrogate.replace('MARK', '\\ud800'))).toMatchObject({
        ok: false,
        rejection: {
          reason: 'data.taskId: must not contain unpaired UTF-16 surrogates (not UTF-8)',
        },
      });
      const huge = JSON.stringify({ ...base, data: { ...rollout, responseTokens: 7 } });
      expect(
        decodeEvent(huge.replace('"responseTokens":7', '"responseTokens":1e400')),
      ).toMatchObject({
        ok: false,
        rejection: { reason: 'data.responseTokens: must be a finite number (got Infinity)' },
      });
    });

    it('names an unknown field "0" as a field, not as an array index', () => {
      expect(decodeEvent({ ...base, data: { ...rollout, 0: 'x' } })).toMatchObject({
        ok: false,
        rejection: { reason: 'data.0: is not a known field' },
      });
    });

    it('refuses integers beyond 32 bits and the year 0000', () => {
      const huge = decodeEvent({ ...base, data: { ...rollout, responseTokens: 3_000_000_000 } });
      expect(huge).toMatchObject({
        ok: false,
        rejection: { reason: 'data.responseTokens: must be <= 2147483647' },
      });
      const yearZero = decodeEvent({ ...base, time: '0000-01-01T00:00:00Z', data: rollout });
      expect(yearZero).toMatchObject({
        ok: false,
        rejection: { reason: expect.stringMatching(/^time: /) },
      });
    });
  });
});
