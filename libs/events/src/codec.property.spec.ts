import fc from 'fast-check';
import { EVENT_TYPES, MAX_EVENT_DEPTH, decodeEvent, type DecodeResult } from '@tracker/events';
import { anyEvent, eventOf } from '../../../test/e2e/support/event-arbitraries';
import {
  MUTATIONS,
  nested,
  reasonMatches,
  type Mutant,
} from '../../../test/e2e/support/event-mutations';

// Properties of the decoder over generated events: valid ones decode and round-trip, broken
// ones are rejected with a reason naming the field, and no input whatsoever makes it throw.

/** The result of decoding, or the test fails with what was thrown. */
function decodeWithoutThrowing(input: unknown): DecodeResult {
  try {
    return decodeEvent(input);
  } catch (error) {
    throw new Error(`decodeEvent threw on its input: ${String(error)}`);
  }
}

function rejectionOf(input: unknown) {
  const result = decodeWithoutThrowing(input);
  if (result.ok) throw new Error(`expected a rejection, got ${result.event.type} accepted`);
  return result.rejection;
}

describe('decodeEvent, property-based', () => {
  describe.each(EVENT_TYPES.map((type) => [type]))('every valid %s', (type) => {
    it('decodes from an object, JSON text and UTF-8 bytes, and round-trips', () => {
      fc.assert(
        fc.property(eventOf(type), (sent) => {
          const encoded = JSON.stringify(sent);
          for (const input of [sent, encoded, Buffer.from(encoded, 'utf8')]) {
            const result = decodeWithoutThrowing(input);
            if (!result.ok) throw new Error(`rejected: ${result.rejection.reason}`);
            const { event } = result;
            expect(event).toMatchObject({ id: sent.id, type, subject: sent.subject });
            // decode(encode(x)) keeps the event as sent, to the byte
            expect(JSON.stringify(event.envelope)).toBe(encoded);
            expect(JSON.stringify(event.data)).toBe(JSON.stringify(sent.data));
          }
        }),
        { numRuns: 100 },
      );
    });
  });

  describe.each(Object.entries(MUTATIONS))('rejects %s', (_, mutants) => {
    it('with a reason that names the field and the rule, and the event id', () => {
      fc.assert(
        fc.property(mutants, (mutant: Mutant) => {
          const rejection = rejectionOf(mutant.input);
          if (!reasonMatches(rejection.reason, mutant.expected)) {
            const { field, rule } = mutant.expected;
            throw new Error(`reason ${JSON.stringify(rejection.reason)} lacks "${field}: ${rule}"`);
          }
          if (mutant.id !== undefined) expect(rejection.eventId).toBe(mutant.id);
        }),
        { numRuns: mutants === MUTATIONS.deepNesting ? 40 : 300 },
      );
    });
  });

  it(`accepts free-form JSON nested exactly ${MAX_EVENT_DEPTH} levels, rejects one more`, () => {
    // envelope (1) > data (2) > config (3) > `depth` more levels of arrays
    const withConfigDepth = (depth: number) => ({
      specversion: '1.0',
      id: `deep-${depth}`,
      source: 'test',
      type: 'rl.started',
      subject: 'rl:r1',
      time: '2026-11-28T12:00:00Z',
      data: { rlRunId: 'r1', policy: { model: 'k2' }, config: { deep: nested(depth, false) } },
    });
    expect(decodeWithoutThrowing(withConfigDepth(MAX_EVENT_DEPTH - 3)).ok).toBe(true);
    expect(rejectionOf(JSON.stringify(withConfigDepth(MAX_EVENT_DEPTH - 2))).reason).toBe(
      'data.config: nests objects and arrays deeper than the 100-level limit',
    );
  });

  it('rejects a cyclic object instead of looping or overflowing', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const cyclic: Record<string, unknown> = { ...event, data: { ...event.data } };
        (cyclic.data as Record<string, unknown>).self = cyclic.data;
        expect(rejectionOf(cyclic).reason).toBe(
          'data.self: nests objects and arrays deeper than the 100-level limit',
        );
      }),
      { numRuns: 50 },
    );
  });

  it('rejects numbers JSON cannot carry (1e400 parses to Infinity), naming the field', () => {
    fc.assert(
      fc.property(
        eventOf('evaluation.recorded'),
        fc.constantFrom('1e400', '-1e400'),
        (event, big) => {
          const text = JSON.stringify({ ...event, data: { ...event.data, value: 7 } }).replace(
            '"value":7',
            `"value":${big}`,
          );
          expect(rejectionOf(text).reason).toMatch(/^data\.value: must be a finite number/);
        },
      ),
      { numRuns: 50 },
    );
  });

  describe('never throws', () => {
    const check = (arbitrary: fc.Arbitrary<unknown>, numRuns = 1000) =>
      fc.assert(
        fc.property(arbitrary, (input) => {
          const result = decodeWithoutThrowing(input);
          // Garbage is never taken for an event; a rejection always says why.
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.rejection.reason).toMatch(/\S/);
        }),
        { numRuns },
      );

    it('on any JavaScript value', () =>
      check(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
      ));

    it('on any string', () => check(fc.string({ unit: 'binary', maxLength: 200 })));

    it('on any bytes', () =>
      check(fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))));

    it('on any JSON text and JSON value', () => {
      check(fc.json({ maxDepth: 5 }));
      check(fc.jsonValue({ maxDepth: 5 }));
    });

    it('on envelopes whose attributes hold anything', () => {
      check(
        fc.record(
          {
            specversion: fc.oneof(fc.constant('1.0'), fc.anything()),
            id: fc.oneof(fc.string(), fc.anything()),
            source: fc.oneof(fc.string(), fc.anything()),
            type: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.anything()),
            subject: fc.oneof(fc.string(), fc.anything()),
            time: fc.oneof(fc.constant('2026-11-28T12:00:00Z'), fc.anything()),
            schemaversion: fc.anything(),
            data: fc.oneof(fc.object(), fc.anything()),
          },
          { requiredKeys: [] },
        ),
      );
    });

    it('on a valid event with one byte changed (it decodes or is rejected, never throws)', () => {
      fc.assert(
        fc.property(anyEvent, fc.nat(), fc.integer({ min: 0, max: 255 }), (event, at, byte) => {
          const bytes = Buffer.from(JSON.stringify(event), 'utf8');
          bytes[at % bytes.length] = byte;
          decodeWithoutThrowing(bytes);
        }),
        { numRuns: 1000 },
      );
    });
  });
});
