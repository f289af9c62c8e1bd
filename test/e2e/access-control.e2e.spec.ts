import { loadConfig } from '@tracker/config';
import {
  agentDefinedEvent,
  checkpointSavedEvent,
  createTestDatabase,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  expectEventually,
  rewardAssignedEvent,
  rlFinishedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type AnyWireEvent,
} from '@tracker/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTracker } from '../../apps/cli/src/tracker-app';
import { createApiKey } from '../../apps/api/src/access/api-keys.store';
import { TrackerUnderTest } from './support/tracker-under-test';

// Access control through the real doors: API keys (scopes, projects, revocation) on GraphQL
// over HTTP and graphql-ws, POST /v1/events and the dataset export; a key of project A reads
// nothing of project B; per-key ingest rate and connection cap; open mode on loopback only.

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

/** Two projects, each a small pipeline: synthesis run, dataset, RL run, rollouts, rewards. */
/** A tool both projects' agents use (catalog). */
const sharedTool = toolRegisteredEvent();

function pipeline(project: string) {
  const tool = toolRegisteredEvent();
  const synthesis = synthesisStartedEvent({ project });
  const S = synthesis.data.synthesisRunId;
  const agent = agentDefinedEvent({
    toolIds: [tool.data.toolId, sharedTool.data.toolId],
    synthesisRunId: S,
  });
  const task = taskDefinedEvent({ agentId: agent.data.agentId });
  const trajectory = trajectoryRecordedEvent({
    synthesisRunId: S,
    taskId: task.data.taskId,
    agentId: agent.data.agentId,
  });
  const J = trajectory.data.trajectoryId;
  const datasetId = `dataset-${project}-${S.slice(-6)}`;
  const members = datasetMembersAddedEvent({ datasetId, version: 1, memberIds: [J] });
  const seal = datasetSealedEvent({ datasetId, version: 1, memberIds: [J] });
  const run = rlStartedEvent({ project, datasets: [{ datasetId, version: 1 }] });
  const R = run.data.rlRunId;
  const checkpoint = checkpointSavedEvent({ rlRunId: R, step: 1 });
  const rollout = rolloutCompletedEvent({ rlRunId: R, step: 1, taskId: task.data.taskId });
  const reward = rewardAssignedEvent({ rlRunId: R, step: 1, rolloutId: rollout.data.rolloutId });
  const events: AnyWireEvent[] = [
    tool,
    synthesis,
    agent,
    task,
    trajectory,
    members,
    seal,
    run,
    checkpoint,
    rollout,
    reward,
  ];
  return {
    events,
    toolId: tool.data.toolId,
    synthesisRunId: S,
    trajectoryId: J,
    datasetId,
    rlRunId: R,
    checkpointId: checkpoint.data.checkpointId,
    rolloutId: rollout.data.rolloutId,
    rewardId: reward.data.rewardId,
    /** Ids that only this project's readers may see in any answer. */
    privateIds: [
      S,
      J,
      datasetId,
      R,
      checkpoint.data.checkpointId,
      rollout.data.rolloutId,
      agent.data.agentId,
      task.data.taskId,
    ],
  };
}

describe('access control', () => {
  let under: TrackerUnderTest;
  const A = pipeline('alpha');
  const B = pipeline('beta');
  const tokens: Record<'admin' | 'readA' | 'ingestA' | 'readAll' | 'ingestAll', string> = {
    admin: '',
    readA: '',
    ingestA: '',
    readAll: '',
    ingestAll: '',
  };

  async function post(query: string, variables = {}, token?: string): Promise<Answer> {
    const response = await fetch(`${under.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  async function ingest(events: unknown[], token?: string) {
    const response = await fetch(`${under.url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(events),
    });
    return { response, body: (await response.json()) as any };
  }

  const createKey = async (name: string, scopes: string[], projects?: string[]) => {
    const answer = await post(
      `mutation($name: String!, $scopes: [String!]!, $projects: [String!]) {
        createApiKey(name: $name, scopes: $scopes, projects: $projects) { token key { id scopes projects } } }`,
      { name, scopes, projects },
      tokens.admin || undefined,
    );
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data.createApiKey.token as string;
  };

  beforeAll(async () => {
    under = await TrackerUnderTest.start('access', {
      INGEST_KEY_EVENTS_PER_SECOND: '20',
      INGEST_KEY_BURST_EVENTS: '60',
      SUBSCRIPTION_CONNECTIONS_PER_KEY: '2',
    });
    // Open mode (no key yet): anyone on this machine may write and create the first key.
    await under.sendAndProject([sharedTool, ...A.events, ...B.events]);
    tokens.admin = await createKey('admin', ['admin', 'read', 'ingest']);
    tokens.readA = await createKey('reader of alpha', ['read'], ['alpha']);
    tokens.ingestA = await createKey('worker of alpha', ['ingest'], ['alpha']);
    tokens.readAll = await createKey('reader of all', ['read']);
    tokens.ingestAll = await createKey('worker of all', ['ingest']);
  });
  afterAll(async () => {
    await under?.stop();
  });

  describe('keys', () => {
    it('once a key exists, every data door refuses requests without one, saying how to send it', async () => {
      const graphql = await post('{ rlRuns { edges { node { id } } } }');
      expect(graphql.status).toBe(401);
      expect(graphql.body.errors).toEqual([
        {
          message: expect.stringContaining('send "Authorization: Bearer <key>"'),
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ]);
      const events = await ingest([B.events[0]]);
      expect(events.response.status).toBe(401);
      expect(events.body.message).toContain('requires an API key');
      const exported = await fetch(`${under.url}/v1/datasets/${A.datasetId}/versions/1/members`);
      expect(exported.status).toBe(401);
      // The page and health carry no data.
      expect((await fetch(`${under.url}/health`)).status).toBe(200);
      expect((await fetch(`${under.url}/`)).status).toBe(200);
    });

    it('refuses malformed and unknown keys, and a key once revoked', async () => {
      const malformed = await post('{ apiStatus { pid } }', {}, 'not-a-key');
      expect(malformed.status).toBe(401);
      expect(malformed.body.errors![0].message).toContain('malformed API key');
      const unknown = await post('{ apiStatus { pid } }', {}, `ptt_000000000000_${'x'.repeat(43)}`);
      expect(unknown.body.errors![0].message).toBe('API key 000000000000 is unknown or revoked');

      const doomed = await createKey('doomed', ['read']);
      expect((await post('{ apiStatus { pid } }', {}, doomed)).status).toBe(200);
      const keyId = doomed.split('_')[1];
      const revoked = await post(
        `mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`,
        { id: keyId },
        tokens.admin,
      );
      expect(revoked.body.data.revokeApiKey).toEqual({ id: keyId, revokedAt: expect.any(String) });
      const after = await post('{ apiStatus { pid } }', {}, doomed);
      expect(after.status).toBe(401);
      expect(after.body.errors![0].message).toBe(`API key ${keyId} is unknown or revoked`);
    });

    it('stores only a hash of each key, and lists keys without their secrets', async () => {
      const { rows } = await under.database.pool.query('SELECT key_id, token_sha256 FROM api_keys');
      const stored = JSON.stringify(rows);
      for (const token of Object.values(tokens)) {
        expect(stored).not.toContain(token);
        expect(stored).not.toContain(token.slice('ptt_000000000000_'.length));
      }
      const listed = await post(
        '{ apiKeys { id name scopes projects revokedAt } }',
        {},
        tokens.admin,
      );
      expect(listed.body.data.apiKeys).toEqual(
        expect.arrayContaining([
          {
            id: tokens.readA.split('_')[1],
            name: 'reader of alpha',
            scopes: ['read'],
            projects: ['alpha'],
            revokedAt: null,
          },
        ]),
      );
      expect(JSON.stringify(listed.body)).not.toContain(
        tokens.readA.slice('ptt_000000000000_'.length),
      );
    });

    it('checks scopes: reading, ingesting and administering each need their own', async () => {
      const readerIngests = await ingest([A.events[0]], tokens.readAll);
      expect(readerIngests.response.status).toBe(403);
      expect(readerIngests.body.message).toMatch(
        /^POST \/v1\/events needs the ingest scope; API key \w+ has read$/,
      );
      const readerMutates = await post(
        `mutation { recordEvents(events: []) { accepted } }`,
        {},
        tokens.readAll,
      );
      expect(readerMutates.body.errors![0]).toMatchObject({
        message: expect.stringContaining('Mutation.recordEvents needs the ingest scope'),
        extensions: { code: 'FORBIDDEN' },
      });
      const workerReads = await post('{ rlRuns { edges { node { id } } } }', {}, tokens.ingestAll);
      expect(workerReads.body.errors![0]).toMatchObject({
        message: expect.stringContaining('Query.rlRuns needs the read scope'),
        extensions: { code: 'FORBIDDEN' },
      });
      const readerAdministers = await post('{ apiKeys { id } }', {}, tokens.readAll);
      expect(readerAdministers.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      const deadLetters = await post(
        '{ deadLetters { edges { node { reason } } } }',
        {},
        tokens.readAll,
      );
      expect(deadLetters.body.errors![0].message).toContain('needs the admin scope');
    });

    it('refuses a key request that grants nothing or names an unknown scope', async () => {
      const answer = await post(
        `mutation { createApiKey(name: "x", scopes: ["write"]) { token } }`,
        {},
        tokens.admin,
      );
      expect(answer.body.errors![0]).toMatchObject({
        message: 'scopes: "write" unknown; scopes are ingest, read, admin',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  });

  describe('a key of project alpha', () => {
    /** Questions that together touch every kind of door: lists, lookups, walks, audits. */
    const BROAD_QUESTIONS = [
      `{ rlRuns { edges { node { id project datasets { datasetId } } } } }`,
      `{ synthesisRuns { edges { node { id project } } } }`,
      `{ rewards { edges { node { id rlRunId rollout { id } } } } }`,
      `{ rollouts { edges { node { id rlRunId } } } }`,
      `{ checkpoints { edges { node { id rlRunId } } } }`,
      `{ trajectories { edges { node { id synthesisRunId } } } }`,
      `{ agents { edges { node { id synthesisRunId } } } }`,
      `{ tasks { edges { node { id agentId } } } }`,
      `{ datasetVersions { edges { node { datasetId version } } } }`,
      `{ events(first: 500) { edges { node { id subject } } } }`,
      `{ tools { edges { node { id usedByAgents { id } } } } }`,
    ];

    it('reads nothing of project beta through any list, while a key of every project reads both', async () => {
      for (const question of BROAD_QUESTIONS) {
        const alpha = await post(question, {}, tokens.readA);
        expect(alpha.body.errors).toBeUndefined();
        const all = await post(question, {}, tokens.readAll);
        expect(all.body.errors).toBeUndefined();
        const seenByAlpha = JSON.stringify(alpha.body.data);
        const seenByAll = JSON.stringify(all.body.data);
        for (const id of B.privateIds) expect(seenByAlpha).not.toContain(id);
        expect(B.privateIds.some((id) => seenByAll.includes(id))).toBe(true);
        expect(A.privateIds.some((id) => seenByAlpha.includes(id))).toBe(true);
      }
    });

    it('pages through its own runs: pages are cut to its projects in SQL, not emptied after', async () => {
      const page = await post(
        `{ rlRuns(first: 1) { edges { node { id } } pageInfo { hasNextPage } }
           rewards(first: 1) { edges { node { id } } pageInfo { hasNextPage } } }`,
        {},
        tokens.readA,
      );
      // Beta's run and reward come after alpha's: a filter after the page would say "more".
      expect(page.body.data).toEqual({
        rlRuns: { edges: [{ node: { id: A.rlRunId } }], pageInfo: { hasNextPage: false } },
        rewards: { edges: [{ node: { id: A.rewardId } }], pageInfo: { hasNextPage: false } },
      });
    });

    it('gets null for lookups of beta entities, exactly as for ones that do not exist', async () => {
      const answer = await post(
        `query($run: ID!, $reward: ID!, $rollout: ID!, $checkpoint: ID!, $trajectory: ID!, $synthesis: ID!) {
          rlRun(id: $run) { id } reward(id: $reward) { id } rollout(id: $rollout) { id }
          checkpoint(id: $checkpoint) { id } trajectory(id: $trajectory) { id }
          synthesisRun(id: $synthesis) { id } missing: rlRun(id: "no-such-run") { id } }`,
        {
          run: B.rlRunId,
          reward: B.rewardId,
          rollout: B.rolloutId,
          checkpoint: B.checkpointId,
          trajectory: B.trajectoryId,
          synthesis: B.synthesisRunId,
        },
        tokens.readA,
      );
      expect(answer.body).toEqual({
        data: {
          rlRun: null,
          reward: null,
          rollout: null,
          checkpoint: null,
          trajectory: null,
          synthesisRun: null,
          missing: null,
        },
      });
      const own = await post(
        `query($id: ID!) { rlRun(id: $id) { id project } }`,
        { id: A.rlRunId },
        tokens.readA,
      );
      expect(own.body.data).toEqual({ rlRun: { id: A.rlRunId, project: 'alpha' } });
    });

    it('is refused metrics, audits, lineage and pages that name a beta entity, with the same answer as for an unknown one', async () => {
      const refusals = [
        [`query($r: ID!) { rewardSeries(rlRunId: $r) { rlRunId } }`, { r: B.rlRunId }],
        [`query($r: ID!) { rolloutSeries(runs: [$r]) { rlRunId } }`, { r: B.rlRunId }],
        [`query($r: ID!) { criticAgreement(rlRunId: $r) { criticVersionId } }`, { r: B.rlRunId }],
        [`query($r: ID!) { rewards(rlRunId: $r) { edges { node { id } } } }`, { r: B.rlRunId }],
        [
          `query($s: ID!) { synthesisFunnel(synthesisRunId: $s) { tasks } }`,
          { s: B.synthesisRunId },
        ],
        [
          `query($d: ID!) { datasetAudit(datasetId: $d, version: 1) { verified } }`,
          { d: B.datasetId },
        ],
        [
          `query($d: ID!) { datasetVersion(datasetId: $d, version: 1) { memberCount } }`,
          { d: B.datasetId },
        ],
        [`query($id: ID!) { lineage(id: $id) { nodes { id } } }`, { id: `rl_run:${B.rlRunId}` }],
        [`query($id: ID!) { node(id: $id) { __typename } }`, { id: `reward:${B.rewardId}` }],
        [
          `query($id: ID!) { auditTrail(id: $id) { edges { node { id } } } }`,
          { id: `rl_run:${B.rlRunId}` },
        ],
        [
          `query($a: ID!, $b: ID!) { lineagePath(from: $a, to: $b) { complete } }`,
          { a: `rl_run:${A.rlRunId}`, b: `trajectory:${B.trajectoryId}` },
        ],
      ] as const;
      for (const [query, variables] of refusals) {
        const answer = await post(query, variables, tokens.readA);
        expect(answer.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(
              /is not in the projects of API key \w+ \(alpha\), or its project is not known yet$/,
            ),
            extensions: { code: 'FORBIDDEN' },
          }),
        ]);
      }
      const unknown = await post(
        `{ rewardSeries(rlRunId: "no-such-run") { rlRunId } }`,
        {},
        tokens.readA,
      );
      expect(unknown.body.errors![0].message).toBe(
        `rl run "no-such-run" is not in the projects of API key ${tokens.readA.split('_')[1]} (alpha), or its project is not known yet`,
      );
      const own = await post(
        `query($r: ID!) { rewardSeries(rlRunId: $r) { rlRunId points { count } } }`,
        { r: A.rlRunId },
        tokens.readA,
      );
      expect(own.body).toEqual({
        data: { rewardSeries: [{ rlRunId: A.rlRunId, points: [{ count: 1 }] }] },
      });
    });

    it('walks lineage through the shared catalog without entering beta, which uses none of its budget', async () => {
      const walk = (first: number, token: string) =>
        post(
          `query($id: ID!, $first: Int!) { lineage(id: $id, direction: DOWNSTREAM, depth: 8, first: $first) {
            nodes { id } edges { src dst } truncated truncatedReason } }`,
          { id: `tool:${sharedTool.data.toolId}`, first },
          token,
        );
      const alpha = await walk(200, tokens.readA);
      expect(alpha.body.errors).toBeUndefined();
      const seen = JSON.stringify(alpha.body.data);
      expect(seen).toContain(A.trajectoryId);
      expect(seen).toContain(A.rewardId);
      for (const id of B.privateIds) expect(seen).not.toContain(id);
      // Exactly alpha's part of the graph fits the budget: beta's nodes were never counted...
      const size = alpha.body.data.lineage.nodes.length as number;
      const tight = await walk(size, tokens.readA);
      expect(alpha.body.data.lineage.truncatedReason).not.toMatch(/node budget/);
      expect(tight.body.data.lineage).toEqual(alpha.body.data.lineage);
      // ...while a key of every project reaches beta's too, and runs out of that budget.
      const all = await walk(size, tokens.readAll);
      expect(all.body.data.lineage.truncatedReason).toMatch(/^node budget of \d+ reached/);
    });

    it('is refused questions that span every project', async () => {
      const answer = await post(
        `query($id: ID!) { toolImpact(id: $id) { agents { count } } }`,
        { id: A.toolId },
        tokens.readA,
      );
      expect(answer.body.errors![0]).toMatchObject({
        message: expect.stringMatching(
          /^Query.toolImpact spans every project; API key \w+ is limited to alpha$/,
        ),
        extensions: { code: 'FORBIDDEN' },
      });
    });

    it('exports alpha datasets, and answers 404 for beta ones as for unknown ones', async () => {
      const headers = { authorization: `Bearer ${tokens.readA}` };
      const own = await fetch(`${under.url}/v1/datasets/${A.datasetId}/versions/1/members`, {
        headers,
      });
      expect(own.status).toBe(200);
      expect(await own.text()).toContain(A.trajectoryId);
      const other = await fetch(`${under.url}/v1/datasets/${B.datasetId}/versions/1/members`, {
        headers,
      });
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({
        message: `dataset "${B.datasetId}" has no version 1`,
      });
    });

    it('subscribes to alpha runs only, and a subscription to every run skips beta', async () => {
      const client = createClient({
        url: `${under.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens.readA}` },
        retryAttempts: 0,
      });
      try {
        const refused = await new Promise<unknown>((resolve) => {
          client.subscribe(
            {
              query: `subscription($r: ID!) { rewardAssigned(rlRunId: $r) { id } }`,
              variables: { r: B.rlRunId },
            },
            { next: resolve, error: resolve, complete: () => resolve('complete') },
          );
        });
        expect(JSON.stringify(refused)).toContain('is not in the projects of API key');

        const changes: Array<{ rlRunId: string }> = [];
        const unsubscribe = client.subscribe(
          { query: `subscription { runStatusChanged { rlRunId status } }` },
          {
            next: (result) => changes.push((result.data as any).runStatusChanged),
            error: (error) => changes.push({ rlRunId: `error ${JSON.stringify(error)}` }),
            complete: () => undefined,
          },
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        await ingest(
          [rlFinishedEvent({ rlRunId: B.rlRunId }), rlFinishedEvent({ rlRunId: A.rlRunId })],
          tokens.ingestAll,
        );
        await expectEventually(() =>
          expect(changes).toEqual([{ rlRunId: A.rlRunId, status: 'succeeded' }]),
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(changes).toEqual([{ rlRunId: A.rlRunId, status: 'succeeded' }]);
        unsubscribe();
      } finally {
        await client.dispose();
      }
    });

    it('ingests into alpha only: runs it starts, and events of started runs, must be alpha', async () => {
      const startsBeta = rlStartedEvent({ project: 'beta' });
      const rewardOfStartedBeta = rewardAssignedEvent({ rlRunId: startsBeta.data.rlRunId });
      const intoBeta = rewardAssignedEvent({ rlRunId: B.rlRunId });
      const intoAlpha = rewardAssignedEvent({ rlRunId: A.rlRunId });
      const catalog = toolRegisteredEvent();
      const { response, body } = await ingest(
        [startsBeta, rewardOfStartedBeta, intoBeta, intoAlpha, catalog],
        tokens.ingestA,
      );
      expect(response.status).toBe(200);
      const keyId = tokens.ingestA.split('_')[1];
      expect(body).toEqual({
        accepted: 2,
        rejected: [
          {
            index: 0,
            id: startsBeta.id,
            reason: `writes into project "beta", not one of API key ${keyId}'s projects (alpha)`,
          },
          {
            index: 1,
            id: rewardOfStartedBeta.id,
            reason: `writes into project "beta" (of rl_run ${startsBeta.data.rlRunId}), not one of API key ${keyId}'s projects (alpha)`,
          },
          {
            index: 2,
            id: intoBeta.id,
            reason: `writes into project "beta" (of rl_run ${B.rlRunId}), not one of API key ${keyId}'s projects (alpha)`,
          },
        ],
      });
      await expectEventually(async () => {
        const { rows } = await under.database.pool.query(
          'SELECT event_id FROM event_journal WHERE event_id = ANY($1) ORDER BY event_id',
          [[startsBeta.id, rewardOfStartedBeta.id, intoBeta.id, intoAlpha.id, catalog.id]],
        );
        expect(rows.map((row) => row.event_id).sort()).toEqual([intoAlpha.id, catalog.id].sort());
      });
    });
  });

  describe('limits per key', () => {
    it('answers 429 with Retry-After past a key rate, naming the limit', async () => {
      const events = Array.from({ length: 40 }, () => toolRegisteredEvent());
      const first = await ingest(events, tokens.ingestAll);
      expect(first.response.status).toBe(200);
      const second = await ingest(events, tokens.ingestAll);
      expect(second.response.status).toBe(429);
      expect(Number(second.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(second.body.message).toMatch(
        /^API key \w+ is over its ingest rate \(INGEST_KEY_EVENTS_PER_SECOND=20, INGEST_KEY_BURST_EVENTS=60\): retry after \d+ s$/,
      );
      // Nothing of the refused request was taken.
      const { rows } = await under.database.pool.query(
        'SELECT count(*)::int AS n FROM event_journal WHERE event_id = ANY($1)',
        [events.map((event) => event.id)],
      );
      await expectEventually(async () => {
        const again = await under.database.pool.query(
          'SELECT count(*)::int AS n FROM tools WHERE tool_id = ANY($1)',
          [events.map((event) => event.data.toolId)],
        );
        expect(again.rows[0].n).toBe(40);
      });
      expect(rows[0].n).toBeLessThanOrEqual(40);
      // Another key has its own bucket.
      expect((await ingest([toolRegisteredEvent()], tokens.admin)).response.status).toBe(200);
    });

    it('closes a key connection over its cap with 4429, and the key connects again once one closes', async () => {
      const url = `${under.url.replace('http', 'ws')}/graphql`;
      const connect = () =>
        new Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }>(
          (resolve) => {
            const socket = new WebSocket(url, 'graphql-transport-ws');
            const closed = new Promise<{ code: number; reason: string }>((done) =>
              socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
            );
            socket.on('open', () =>
              socket.send(
                JSON.stringify({
                  type: 'connection_init',
                  payload: { authorization: `Bearer ${tokens.readAll}` },
                }),
              ),
            );
            socket.on('message', () => resolve({ socket, closed }));
            void closed.then(() => resolve({ socket, closed }));
          },
        );
      const first = await connect();
      const second = await connect();
      const third = await connect();
      expect(await third.closed).toEqual({
        code: 4429,
        reason: expect.stringMatching(
          /^API key \w+ holds 2 connections, the limit \(SUBSCRIPTION_CONNECTIONS_PER_KEY=2\)$/,
        ),
      });
      first.socket.close();
      await first.closed;
      const fourth = await connect();
      expect(fourth.socket.readyState).toBe(WebSocket.OPEN);
      second.socket.close();
      fourth.socket.close();
    });

    it('ends the connections of a key once it is revoked, here or by another process', async () => {
      const url = `${under.url.replace('http', 'ws')}/graphql`;
      const connectWith = async (token: string) => {
        const socket = new WebSocket(url, 'graphql-transport-ws');
        const closed = new Promise<{ code: number; reason: string }>((done) =>
          socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
        );
        const acked = new Promise((done) => socket.on('message', done));
        socket.on('open', () =>
          socket.send(
            JSON.stringify({
              type: 'connection_init',
              payload: { authorization: `Bearer ${token}` },
            }),
          ),
        );
        await acked;
        return { closed }; // wrapped: an async function returning a promise would await it
      };
      const here = await createKey('revoked here', ['read']);
      const { closed: hereClosed } = await connectWith(here);
      await post(
        `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`,
        { id: here.split('_')[1] },
        tokens.admin,
      );
      expect(await hereClosed).toEqual({
        code: 4401,
        reason: `API key ${here.split('_')[1]} was revoked`,
      });

      const elsewhere = await createKey('revoked elsewhere', ['read']);
      const { closed: elsewhereClosed } = await connectWith(elsewhere);
      // As `tracker keys revoke` does, from another process: straight in the database.
      await under.database.pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1', [
        elsewhere.split('_')[1],
      ]);
      expect(await elsewhereClosed).toEqual({
        code: 4401,
        reason: `API key ${elsewhere.split('_')[1]} was revoked`,
      });
    });

    it('closes a graphql-ws connection of a key without the read scope with 4403', async () => {
      const socket = new WebSocket(
        `${under.url.replace('http', 'ws')}/graphql`,
        'graphql-transport-ws',
      );
      const closed = new Promise<{ code: number; reason: string }>((done) =>
        socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
      );
      socket.on('open', () =>
        socket.send(
          JSON.stringify({
            type: 'connection_init',
            payload: { authorization: `Bearer ${tokens.ingestAll}` },
          }),
        ),
      );
      expect(await closed).toEqual({
        code: 4403,
        reason: `a subscription needs the read scope; API key ${tokens.ingestAll.split('_')[1]} has ingest`,
      });
    });

    it('closes a graphql-ws connection without a key with 4401', async () => {
      const socket = new WebSocket(
        `${under.url.replace('http', 'ws')}/graphql`,
        'graphql-transport-ws',
      );
      const closed = new Promise<{ code: number; reason: string }>((done) =>
        socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
      );
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      expect(await closed).toEqual({
        code: 4401,
        reason: expect.stringContaining('this tracker requires an API key'),
      });
    });
  });
});

describe('open mode', () => {
  it('listens on a loopback address only until a key exists', async () => {
    const database = await createTestDatabase('open_mode');
    try {
      const config = loadConfig({
        DATABASE_URL: database.url,
        HOST: '0.0.0.0',
        PORT: '0',
        LOG_LEVEL: 'error',
      });
      await expect(startTracker(config, { api: true, projector: false })).rejects.toThrow(
        /HOST=0\.0\.0\.0: no API key exists, so anyone who reaches this address could read and write everything/,
      );
      await createApiKey(database.pool, { name: 'admin', scopes: ['admin', 'read', 'ingest'] });
      const tracker = await startTracker(config, { api: true, projector: false });
      try {
        expect(tracker.openAccess).toBe(false);
        expect((await fetch(`${tracker.url}/graphql`, { method: 'POST' })).status).toBe(401);
      } finally {
        await tracker.close();
      }
    } finally {
      await database.drop();
    }
  });
});
