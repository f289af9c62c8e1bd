import fc from 'fast-check';
import { MAX_EVENT_BYTES, MAX_EVENT_DEPTH } from '@tracker/events';
import {
  expectEventually,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  toolRegisteredEvent,
} from '@tracker/testing';
import { anyEvent, type GeneratedEvent } from './support/event-arbitraries';
import { MUTATIONS, nestedText, reasonMatches, type Mutant } from './support/event-mutations';
import { IngestLedger, freshened, freshenedMutant } from './support/ingest-ledger';
import { TrackerUnderTest } from './support/tracker-under-test';

// Generated batches of valid and broken events thrown at both ingest doors (POST /v1/events,
// the recordEvents mutation) of a booted tracker: each broken event is refused alone with its
// index, id, field and rule; the valid ones beside it are accepted (the contract is per event,
// not all-or-nothing); the journal and projections end up holding exactly the accepted ones.

interface IngestAnswer {
  accepted: number;
  rejected: Array<{ index: number; id: string | null; reason: string }>;
}

type Item = { valid: GeneratedEvent } | { mutant: Mutant };

const DEEP_LIMIT = `nests objects and arrays deeper than the ${MAX_EVENT_DEPTH}-level limit`;

// Object-form mutants travel in JSON bodies and GraphQL variables; text ones (truncated JSON)
// as NDJSON lines or GraphQL strings. 10,000-level nesting has its own tests: JSON.stringify
// cannot write it, so those bodies are spliced as text.
const { deepNesting: _deep, truncatedText, ...objectMutations } = MUTATIONS;
const objectMutant = fc.oneof(...Object.values(objectMutations)).map(freshenedMutant);
const anyMutant = fc.oneof(objectMutant, truncatedText);
const validEvent = anyEvent.map(freshened);

const batch = (mutant: fc.Arbitrary<Mutant>) =>
  fc.array(
    fc.oneof(
      validEvent.map((valid): Item => ({ valid })),
      mutant.map((mutant): Item => ({ mutant })),
    ),
    { minLength: 5, maxLength: 40 },
  );

const inputOf = (item: Item): unknown => ('valid' in item ? item.valid : item.mutant.input);

// Builders' events (fresh ids, known key order) where a test splices or splits their text.
const builtEvents = (count: number): GeneratedEvent[] =>
  Array.from({ length: count }, (_, index) =>
    index % 2 ? rewardAssignedEvent() : rolloutCompletedEvent(),
  );

describe('ingest under generated bad input', () => {
  let under: TrackerUnderTest;
  const ledger = new IngestLedger();
  beforeAll(async () => {
    under = await TrackerUnderTest.start('ingest_fuzz');
  });
  afterAll(async () => {
    await under?.stop();
  });

  async function post(body: string | Buffer, contentType: string) {
    const response = await fetch(`${under.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    // Whatever was sent, the server is never at fault.
    expect(response.status).toBeLessThan(500);
    return { status: response.status, body: (await response.json()) as any };
  }

  async function recordEvents(variablesJson: string) {
    const response = await fetch(`${under.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"mutation($events: [JSON!]!) { recordEvents(events: $events) { accepted rejected { index id reason } } }","variables":${variablesJson}}`,
    });
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data.recordEvents as IngestAnswer;
  }

  /** The answer is per event: every mutant refused as expected, every valid event accepted. */
  function expectAnswer(answer: IngestAnswer, items: readonly Item[]): void {
    const mutants = items.flatMap((item, index) => ('mutant' in item ? [{ index, item }] : []));
    expect(answer.rejected.map((rejection) => rejection.index)).toEqual(
      mutants.map(({ index }) => index),
    );
    answer.rejected.forEach((rejection, position) => {
      const { mutant } = mutants[position].item;
      if (!reasonMatches(rejection.reason, mutant.expected)) {
        throw new Error(
          `event ${rejection.index} (${mutant.kind}): reason ${JSON.stringify(rejection.reason)} does not name "${mutant.expected.field}: ${mutant.expected.rule}"`,
        );
      }
      if (mutant.id !== undefined) expect(rejection.id).toBe(mutant.id);
    });
    expect(answer.accepted).toBe(items.length - mutants.length);
    for (const item of items) {
      if ('valid' in item) ledger.accept(item.valid);
      else ledger.reject(item.mutant.input);
    }
  }

  it('POST /v1/events, JSON arrays: answers per event', async () => {
    await fc.assert(
      fc.asyncProperty(batch(objectMutant), async (items) => {
        const { status, body } = await post(JSON.stringify(items.map(inputOf)), 'application/json');
        expect(status).toBe(200);
        expectAnswer(body, items);
      }),
      { numRuns: 80 },
    );
  });

  it('POST /v1/events, NDJSON: a broken line is refused alone', async () => {
    // Blank lines are skipped by contract, so a mutant cut down to nothing is not a line.
    const lineMutant = anyMutant.filter((mutant) => mutant.input !== '');
    await fc.assert(
      fc.asyncProperty(batch(lineMutant), async (items) => {
        const lines = items.map((item) => {
          const input = inputOf(item);
          // A line break inside truncated text would split it into two lines.
          return typeof input === 'string' ? input.replaceAll('\n', ' ') : JSON.stringify(input);
        });
        const { status, body } = await post(lines.join('\n'), 'application/x-ndjson');
        expect(status).toBe(200);
        expectAnswer(body, items);
      }),
      { numRuns: 80 },
    );
  });

  it('recordEvents: answers per event, for objects and JSON text alike', async () => {
    await fc.assert(
      fc.asyncProperty(batch(anyMutant), async (items) => {
        const answer = await recordEvents(JSON.stringify({ events: items.map(inputOf) }));
        expectAnswer(answer, items);
      }),
      { numRuns: 80 },
    );
  });

  it('refuses JSON nested 10,000 levels deep at every door, beside valid events', async () => {
    const valid = builtEvents(3);
    const deepArrays = nestedText(10_000, false);
    const deepObjects = nestedText(10_000, true);
    const inData = JSON.stringify({ ...valid[0], id: 'deep-in-data' }).replace(
      '"data":{',
      `"data":{"deep":${deepArrays},`,
    );
    const inExtension = JSON.stringify({ ...valid[0], id: 'deep-in-extension' }).replace(
      '"data":{',
      `"deep":${deepObjects},"data":{`,
    );
    const events = [valid[0], inData, valid[1], inExtension, valid[2]];
    const texts = events.map((event) =>
      typeof event === 'string' ? event : JSON.stringify(event),
    );
    const expected = [
      { index: 1, id: 'deep-in-data', reason: `data.deep: ${DEEP_LIMIT}` },
      { index: 3, id: 'deep-in-extension', reason: `deep: ${DEEP_LIMIT}` },
    ];

    const json = await post(`[${texts.join(',')}]`, 'application/json');
    expect(json).toEqual({ status: 200, body: { accepted: 3, rejected: expected } });
    const ndjson = await post(texts.join('\n'), 'application/x-ndjson');
    expect(ndjson).toEqual({ status: 200, body: { accepted: 3, rejected: expected } });
    const graphql = await recordEvents(`{"events":[${texts.join(',')}]}`);
    expect(graphql).toEqual({ accepted: 3, rejected: expected });
    // Sent three times, each valid event is the same event: journaled once.
    valid.forEach((event) => ledger.accept(event));

    // A body that is nothing but nesting is not an event either.
    const bare = await post(deepArrays, 'application/json');
    expect(bare.body.rejected).toEqual([
      { index: 0, id: null, reason: 'event must be a JSON object (a CloudEvents envelope)' },
    ]);
  });

  it('refuses an event over 1 MiB, beside a valid one', async () => {
    const [valid] = builtEvents(1);
    const big = toolRegisteredEvent({ description: 'x'.repeat(MAX_EVENT_BYTES) });
    const bytes = Buffer.byteLength(JSON.stringify(big));
    const { body } = await post(JSON.stringify([big, valid]), 'application/json');
    expect(body).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 0,
          id: big.id,
          reason: `event is ${bytes} bytes, more than the ${MAX_EVENT_BYTES}-byte limit`,
        },
      ],
    });
    ledger.accept(valid);
    ledger.reject(big);
  });

  it('refuses bodies it cannot read as events with a 400 naming why, accepting nothing', async () => {
    const logged = async () =>
      (await under.database.pool.query('SELECT count(*)::int AS count FROM embedded_log')).rows[0]
        .count as number;
    const before = await logged();
    const cases: Array<[string | Buffer, string, string]> = [
      ['{"specversion": "1.0", ', 'application/json', 'JSON'],
      ['42', 'application/json', 'expected a JSON array of events or one event object'],
      [
        Buffer.from([0x5b, 0xc3, 0x28, 0x5d]),
        'application/json',
        'request body is not valid UTF-8',
      ],
      [JSON.stringify(builtEvents(1)), 'text/plain', 'unsupported Content-Type'],
    ];
    for (const [body, type, message] of cases) {
      const answer = await post(body, type);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toEqual(expect.stringContaining(message));
    }
    // Nothing reached the log.
    expect(await logged()).toBe(before);
    // An empty NDJSON body is an empty batch, not an error.
    expect(await post('', 'application/x-ndjson')).toEqual({
      status: 200,
      body: { accepted: 0, rejected: [] },
    });
  });

  it('refuses an NDJSON line that is not UTF-8, accepting the lines beside it', async () => {
    const [broken, ...valid] = builtEvents(3);
    const [before, after] = JSON.stringify({ ...broken, source: 'MARK' }).split('MARK');
    const body = Buffer.concat([
      Buffer.from(`${JSON.stringify(valid[0])}\n${before}`),
      Buffer.from([0xc3, 0x28]), // a lead byte without its continuation
      Buffer.from(`${after}\n${JSON.stringify(valid[1])}\n`),
    ]);
    const answer = await post(body, 'application/x-ndjson');
    expect(answer).toEqual({
      status: 200,
      body: {
        accepted: 2,
        // Bytes that are not UTF-8 are not read at all, the id neither: the index names it.
        rejected: [{ index: 1, id: null, reason: 'event is not valid UTF-8' }],
      },
    });
    valid.forEach((event) => ledger.accept(event));
    ledger.reject(broken);
  });

  it('takes a flood of 20,000 distinct subjects in two requests and projects them all', async () => {
    const tools = Array.from({ length: 20_000 }, () => toolRegisteredEvent());
    for (const half of [tools.slice(0, 10_000), tools.slice(10_000)]) {
      const answer = await post(
        half.map((tool) => JSON.stringify(tool)).join('\n'),
        'application/x-ndjson',
      );
      expect(answer).toEqual({ status: 200, body: { accepted: 10_000, rejected: [] } });
    }
    expect(new Set(tools.map((tool) => tool.subject)).size).toBe(20_000);
    tools.forEach((tool) => ledger.accept(tool));
  });

  it('ends with exactly the accepted events journaled and projected, none of the rejected', async () => {
    const pool = under.database.pool;
    await expectEventually(
      async () => {
        const count = await pool.query('SELECT count(*)::int AS count FROM event_journal');
        expect(count.rows[0].count).toBeGreaterThanOrEqual(ledger.accepted.size);
      },
      30_000,
      100,
    );
    // Thousands of generated events went in (the 20,000 of the flood aside).
    expect(ledger.rejectedCount).toBeGreaterThan(1000);
    expect(ledger.accepted.size - 20_000).toBeGreaterThan(1000);
    await ledger.expectProjected(pool);
  });
});
