import { createClient, type Client } from 'graphql-ws';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import WebSocket from 'ws';
import { TrackerUnderTest } from './support/tracker-under-test';

// Limits that protect the service: GraphQL operations refused before they execute (depth,
// aliases, cost), introspection by configuration, and ingest requests over their size.

interface Answer {
  status: number;
  body: {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function post(url: string, query: string, variables = {}): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** `checkpoint { parent { parent ... { id } } }` nesting `depth` fields, root and id included. */
function parentChain(depth: number): string {
  return `{ checkpoint(id: "c") ${'{ parent '.repeat(depth - 2)}{ id }${' }'.repeat(depth - 2)} }`;
}

describe('limits', () => {
  let under: TrackerUnderTest;
  /** Read-model queries the API ran since the last `reset` (the log's own polling left out). */
  let readQueries: string[] = [];
  beforeAll(async () => {
    under = await TrackerUnderTest.start('limits', {
      INGEST_MAX_EVENTS: '100',
      INGEST_MAX_BODY_BYTES: '65536',
    });
    const pool = under.tracker.app.get<Database>(DATABASE).pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      const text =
        typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
      if (/\b(checkpoints|rl_runs|rewards)\b/.test(text)) readQueries.push(text);
      return query(...args);
    }) as typeof pool.query;
  });
  afterAll(async () => {
    await under?.stop();
  });
  beforeEach(() => (readQueries = []));

  /** The answer refuses the operation with one LIMIT_EXCEEDED error, before executing it. */
  function expectRefused(answer: Answer, message: string): void {
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message, extensions: { code: 'LIMIT_EXCEEDED' } }),
    ]);
    expect(readQueries).toEqual([]);
  }

  it('runs a query under the limits (and the spy sees its read-model query)', async () => {
    const answer = await post(
      under.url,
      `query($n: Int) { rlRuns(first: $n) { edges { node { id checkpoints(first: 10) { edges { node { id } } } } } } }`,
      { n: 100 },
    );
    expect(answer).toEqual({ status: 200, body: { data: { rlRuns: { edges: [] } } } });
    expect(readQueries.length).toBeGreaterThan(0);
  });

  it('answers a query exactly at the depth limit (15)', async () => {
    const answer = await post(under.url, parentChain(15));
    expect(answer).toEqual({ status: 200, body: { data: { checkpoint: null } } });
  });

  it('refuses a query one level deeper than the depth limit', async () => {
    expectRefused(
      await post(under.url, parentChain(16)),
      'query depth limit exceeded: the operation nests fields 16 deep; the limit (GRAPHQL_MAX_DEPTH) is 15',
    );
  });

  it('counts depth through fragments', async () => {
    const query = `query { checkpoint(id: "c") { ...Eight } }
      fragment Eight on Checkpoint { parent { parent { parent { parent { parent { parent { parent { ...Nine } } } } } } } }
      fragment Nine on Checkpoint { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } }`;
    expectRefused(
      await post(under.url, query),
      'query depth limit exceeded: the operation nests fields 17 deep; the limit (GRAPHQL_MAX_DEPTH) is 15',
    );
  });

  it('refuses an alias bomb: 51 aliases of one field', async () => {
    const fields = Array.from(
      { length: 51 },
      (_, index) => `a${index}: rlRuns { edges { cursor } }`,
    );
    expectRefused(
      await post(under.url, `{ ${fields.join(' ')} }`),
      'alias limit exceeded: the operation has 51 aliased fields; the limit (GRAPHQL_MAX_ALIASES) is 50',
    );
  });

  it('refuses a huge first before the resolver sees it', async () => {
    expectRefused(
      await post(under.url, `query($n: Int) { rlRuns(first: $n) { edges { node { id } } } }`, {
        n: 1_000_000,
      }),
      // 1 + 1,000,000 x (edges, node, id)
      'query cost limit exceeded: the operation costs 3000001 (each field 1, times the first/maxPoints of the pages it is under); the limit (GRAPHQL_MAX_COST) is 200000',
    );
  });

  it('refuses nested pages whose cost multiplies past the limit', async () => {
    const query = `{ rlRuns(first: 500) { edges { node { rewards(first: 500) { edges { node { id } } } } } } }`;
    expectRefused(
      await post(under.url, query),
      // 1 + 500 x (edges + node + rewards: 1 + 500 x 3)
      'query cost limit exceeded: the operation costs 751501 (each field 1, times the first/maxPoints of the pages it is under); the limit (GRAPHQL_MAX_COST) is 200000',
    );
  });

  it('keeps the existing page-size error for a first over 500 that the cost allows', async () => {
    const answer = await post(under.url, `{ rlRuns(first: 501) { edges { cursor } } }`);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'first: must be an integer from 0 to 500 (got 501)',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('answers introspection by default', async () => {
    const answer = await post(under.url, `{ __schema { queryType { name } } }`);
    expect(answer).toEqual({
      status: 200,
      body: { data: { __schema: { queryType: { name: 'Query' } } } },
    });
  });

  it('refuses a subscription over graphql-ws deeper than the depth limit', async () => {
    const client: Client = createClient({
      url: `${under.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const deep = `subscription { rewardAssigned(rlRunId: "r") { rollout ${'{ continues '.repeat(14)}{ id }${' }'.repeat(14)} } }`;
      const received = await new Promise<{ errors: unknown[]; data: unknown[] }>((resolve) => {
        const seen = { errors: [] as unknown[], data: [] as unknown[] };
        client.subscribe(
          { query: deep },
          {
            next: (result) => {
              if (result.errors) seen.errors.push(...result.errors);
              if (result.data) seen.data.push(result.data);
            },
            error: (error) => {
              seen.errors.push(error);
              resolve(seen);
            },
            complete: () => resolve(seen),
          },
        );
      });
      expect(received.data).toEqual([]);
      expect(received.errors).toEqual([
        expect.objectContaining({
          message:
            'query depth limit exceeded: the operation nests fields 17 deep; the limit (GRAPHQL_MAX_DEPTH) is 15',
          extensions: { code: 'LIMIT_EXCEEDED' },
        }),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an ingest request over INGEST_MAX_EVENTS with 413, naming the limit', async () => {
    const response = await fetch(`${under.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: 101 }, () => ({}))),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: '101 events in one request; the limit (INGEST_MAX_EVENTS) is 100: split the batch',
    });
  });

  it.each([
    ['JSON', 'application/json', JSON.stringify(['x'.repeat(70_000)])],
    ['NDJSON', 'application/x-ndjson', 'x'.repeat(70_004)],
  ])(
    'refuses a %s body over INGEST_MAX_BODY_BYTES with 413, naming the limit',
    async (_, type, body) => {
      const response = await fetch(`${under.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message:
          'request body is 70004 bytes; the limit (INGEST_MAX_BODY_BYTES) is 65536 bytes: split the batch',
      });
    },
  );
});

describe('introspection in production', () => {
  const introspect = `{ __schema { queryType { name } } }`;

  it('is off when NODE_ENV=production', async () => {
    const under = await TrackerUnderTest.start('limits_prod', { NODE_ENV: 'production' });
    try {
      const answer = await post(under.url, introspect);
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining('introspection is not allowed'),
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
        }),
      ]);
      // Queries still work.
      expect((await post(under.url, `{ rlRuns { edges { cursor } } }`)).status).toBe(200);
    } finally {
      await under.stop();
    }
  });

  it('is on in production with GRAPHQL_INTROSPECTION=true', async () => {
    const under = await TrackerUnderTest.start('limits_prod_on', {
      NODE_ENV: 'production',
      GRAPHQL_INTROSPECTION: 'true',
    });
    try {
      expect(await post(under.url, introspect)).toEqual({
        status: 200,
        body: { data: { __schema: { queryType: { name: 'Query' } } } },
      });
    } finally {
      await under.stop();
    }
  });
});
