import { spawn, type ChildProcess } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { LiveService } from '../../apps/api/src/live/live.service';
import {
  BUILT_CLI,
  freePort,
  checkpointSavedEvent,
  criticUpdatedEvent,
  expectEventually,
  freshId,
  rewardAssignedEvent,
  rlFinishedEvent,
  rlStartedEvent,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// Live pushes over graphql-ws, through the real projector and Postgres: delivered after
// projection, in journal order, resumable without gap or duplicate, from every API process.

const REWARD = `id rlRunId step domain kind value position`;

/** A graphql-ws subscription collecting what it receives. */
interface Received<Item> {
  items: Item[];
  errors: unknown[];
  completed: boolean;
  stop: () => void;
}

function wsUrl(httpUrl: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}/graphql`;
}

function subscribe<Item>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  field: string,
): Received<Item> {
  const received: Received<Item> = { items: [], errors: [], completed: false, stop: () => {} };
  received.stop = client.subscribe<Record<string, Item>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) received.errors.push(...result.errors);
        if (result.data) received.items.push(result.data[field]);
      },
      error: (error) => received.errors.push(error),
      complete: () => (received.completed = true),
    },
  );
  return received;
}

const rewardsOf = (rlRunId: string, count: number, data: Record<string, unknown> = {}) =>
  Array.from({ length: count }, (_, index) =>
    rewardAssignedEvent({ rlRunId, step: index + 1, ...data }),
  );

describe('live streams (graphql-ws)', () => {
  let under: TrackerUnderTest;
  const clients: Client[] = [];
  beforeAll(async () => {
    under = await TrackerUnderTest.start('live');
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await under?.stop();
  });

  const connect = (url = under.url) => {
    const client = createClient({
      url: wsUrl(url),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    return client;
  };
  const rewardSubscription = `subscription($rlRunId: ID!, $domains: [String!], $kinds: [String!], $afterPosition: String) {
    rewardAssigned(rlRunId: $rlRunId, domains: $domains, kinds: $kinds, afterPosition: $afterPosition) { ${REWARD} } }`;
  const live = () => under.tracker.app.get(LiveService);

  /** Waits until the API's feeds listen (subscriptions attach when the first result is pulled). */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('pushes each reward of the run after it is projected, in journal order, filtered', async () => {
    const rlRunId = freshId('rl');
    const client = connect();
    const all = subscribe<Record<string, unknown>>(
      client,
      rewardSubscription,
      { rlRunId },
      'rewardAssigned',
    );
    const mathOnly = subscribe<Record<string, unknown>>(
      client,
      rewardSubscription,
      { rlRunId, domains: ['math'], kinds: ['verifiable'] },
      'rewardAssigned',
    );
    await settle();
    const math = rewardsOf(rlRunId, 3);
    const code = rewardsOf(rlRunId, 2, { domain: 'code' });
    const otherRun = rewardsOf(freshId('rl'), 2);
    await under.sendAndProject([
      math[0],
      code[0],
      otherRun[0],
      math[1],
      code[1],
      math[2],
      otherRun[1],
    ]);
    await expectEventually(() => expect(all.items).toHaveLength(5));
    expect(all.items.map((item) => item.id)).toEqual(
      [math[0], code[0], math[1], code[1], math[2]].map((event) => event.data.rewardId),
    );
    const positions = all.items.map((item) => BigInt(item.position as string));
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    await expectEventually(() => expect(mathOnly.items).toHaveLength(3));
    expect(mathOnly.items.map((item) => item.id)).toEqual(math.map((event) => event.data.rewardId));
    // What was pushed is what a query answers.
    const { reward } = await under.gql(`query($id: ID!) { reward(id: $id) { ${REWARD} } }`, {
      id: math[1].data.rewardId,
    });
    expect(all.items[2]).toEqual(reward);
    expect(all.errors).toEqual([]);
    all.stop();
    mathOnly.stop();
  });

  it('pushes a reward id seen twice once, as the query answers it (first wins)', async () => {
    const rlRunId = freshId('rl');
    const received = subscribe<Record<string, unknown>>(
      connect(),
      rewardSubscription,
      { rlRunId },
      'rewardAssigned',
    );
    await settle();
    const first = rewardAssignedEvent({ rlRunId, value: 1 });
    const again = rewardAssignedEvent({ rlRunId, rewardId: first.data.rewardId, value: 0 });
    const next = rewardAssignedEvent({ rlRunId });
    await under.sendAndProject([first, again, next]);
    await expectEventually(() => expect(received.items).toHaveLength(2));
    await settle();
    expect(received.items.map((item) => [item.id, item.value])).toEqual([
      [first.data.rewardId, 1],
      [next.data.rewardId, 1],
    ]);
    received.stop();
  });

  it('resumes after a disconnect with what was missed, in order, then the live tail: no gap, no duplicate', async () => {
    const rlRunId = freshId('rl');
    const batches = [rewardsOf(rlRunId, 4), rewardsOf(rlRunId, 5), rewardsOf(rlRunId, 3)];
    const firstClient = connect();
    const before = subscribe<Record<string, unknown>>(
      firstClient,
      rewardSubscription,
      { rlRunId },
      'rewardAssigned',
    );
    await settle();
    await under.sendAndProject(batches[0]);
    await expectEventually(() => expect(before.items).toHaveLength(4));
    const lastSeen = before.items[3].position as string;
    await firstClient.dispose();

    await under.sendAndProject(batches[1]); // missed while away
    const resumed = subscribe<Record<string, unknown>>(
      connect(),
      rewardSubscription,
      { rlRunId, afterPosition: lastSeen },
      'rewardAssigned',
    );
    await expectEventually(() => expect(resumed.items).toHaveLength(5));
    await under.sendAndProject(batches[2]); // live again
    await expectEventually(() => expect(resumed.items).toHaveLength(8));
    await settle();
    expect([...before.items, ...resumed.items].map((item) => item.id)).toEqual(
      batches.flat().map((event) => event.data.rewardId),
    );
    resumed.stop();
  });

  it('resumes from position 0 with the whole history of the run', async () => {
    const rlRunId = freshId('rl');
    const history = rewardsOf(rlRunId, 6);
    await under.sendAndProject(history);
    const received = subscribe<Record<string, unknown>>(
      connect(),
      rewardSubscription,
      { rlRunId, afterPosition: '0' },
      'rewardAssigned',
    );
    await expectEventually(() => expect(received.items).toHaveLength(6));
    expect(received.items.map((item) => item.id)).toEqual(
      history.map((event) => event.data.rewardId),
    );
    received.stop();
  });

  it('shares one execution among identical subscriptions, and ends it when the last one leaves', async () => {
    const rlRunId = freshId('rl');
    const client = connect();
    const before = live().shared.executions;
    const subscribers = [0, 1, 2].map(() =>
      subscribe<Record<string, unknown>>(client, rewardSubscription, { rlRunId }, 'rewardAssigned'),
    );
    await settle();
    expect(live().shared.executions).toBe(before + 1);
    const rewards = rewardsOf(rlRunId, 3);
    await under.sendAndProject(rewards);
    for (const subscriber of subscribers)
      await expectEventually(() => expect(subscriber.items).toHaveLength(3));
    for (const subscriber of subscribers) subscriber.stop();
    await expectEventually(() => expect(live().shared.executions).toBe(before));
  });

  it('reports the process, its event loop and its live streams in apiStatus', async () => {
    const status = async () =>
      (
        await under.gql(
          `query { apiStatus { pid rssBytes heapUsedBytes liveStreams sharedExecutions journalPosition eventLoopDelay { p50 p99 max windowSeconds } } }`,
        )
      ).apiStatus;
    const before = await status();
    expect(before.pid).toBe(process.pid); // the tracker under test runs in this process
    expect(before.rssBytes).toBeGreaterThan(before.heapUsedBytes);
    expect(before.eventLoopDelay.max).toBeGreaterThanOrEqual(before.eventLoopDelay.p50);
    const rlRunId = freshId('rl');
    const client = connect();
    const shared = [0, 1].map(() =>
      subscribe<Record<string, unknown>>(client, rewardSubscription, { rlRunId }, 'rewardAssigned'),
    );
    const own = subscribe<Record<string, unknown>>(
      client,
      rewardSubscription,
      { rlRunId, afterPosition: '0' },
      'rewardAssigned',
    );
    await expectEventually(async () =>
      expect(await status()).toMatchObject({
        liveStreams: before.liveStreams + 2, // the shared execution's and the resuming one's
        sharedExecutions: before.sharedExecutions + 1,
      }),
    );
    await under.sendAndProject([rewardAssignedEvent({ rlRunId })]);
    await expectEventually(async () =>
      expect(BigInt((await status()).journalPosition)).toBeGreaterThan(
        BigInt(before.journalPosition),
      ),
    );
    for (const received of [...shared, own]) received.stop();
    await expectEventually(async () =>
      expect(await status()).toMatchObject({ liveStreams: before.liveStreams }),
    );
  });

  it('pushes checkpoints, critic versions and run status changes of the run', async () => {
    const rlRunId = freshId('rl');
    const client = connect();
    const checkpoints = subscribe<Record<string, unknown>>(
      client,
      `subscription($rlRunId: ID!) { checkpointSaved(rlRunId: $rlRunId) { id step rlRunId } }`,
      { rlRunId },
      'checkpointSaved',
    );
    const critics = subscribe<Record<string, unknown>>(
      client,
      `subscription($rlRunId: ID!) { criticUpdated(rlRunId: $rlRunId) { id step } }`,
      { rlRunId },
      'criticUpdated',
    );
    const statuses = subscribe<Record<string, unknown>>(
      client,
      `subscription($rlRunId: ID) { runStatusChanged(rlRunId: $rlRunId) { rlRunId status eventType run { id status } } }`,
      { rlRunId },
      'runStatusChanged',
    );
    await settle();
    const started = rlStartedEvent({ rlRunId });
    const checkpoint = checkpointSavedEvent({ rlRunId, step: 50 });
    const critic = criticUpdatedEvent({ rlRunId, step: 40 });
    const finished = rlFinishedEvent({ rlRunId, status: 'failed' });
    await under.sendAndProject([started, critic, checkpoint, checkpointSavedEvent({ step: 7 })]);
    await under.sendAndProject([finished]);
    await expectEventually(() => expect(statuses.items).toHaveLength(2));
    expect(checkpoints.items).toEqual([{ id: checkpoint.data.checkpointId, step: 50, rlRunId }]);
    expect(critics.items).toEqual([{ id: critic.data.criticVersionId, step: 40 }]);
    expect(statuses.items).toEqual([
      {
        rlRunId,
        status: 'running',
        eventType: 'rl.started',
        run: { id: rlRunId, status: expect.any(String) },
      },
      {
        rlRunId,
        status: 'failed',
        eventType: 'rl.finished',
        run: { id: rlRunId, status: 'failed' },
      },
    ]);
    for (const received of [checkpoints, critics, statuses]) received.stop();
  });

  it('pushes coalesced per-step rollups for charts, equal to what rewardSeries answers', async () => {
    const rlRunId = freshId('rl');
    const seriesSubscription = `subscription($rlRunId: ID!, $domains: [String!], $maxRateHz: Float) {
      rewardSeriesUpdated(rlRunId: $rlRunId, domains: $domains, maxRateHz: $maxRateHz) {
        rlRunId throughPosition changes { domain kind point { fromStep toStep count mean min max passRate } } } }`;
    type Update = {
      throughPosition: string;
      changes: Array<{ domain: string; kind: string; point: Record<string, number> }>;
    };
    const client = connect();
    const updates = subscribe<Update>(
      client,
      seriesSubscription,
      { rlRunId, maxRateHz: 1 },
      'rewardSeriesUpdated',
    );
    const mathOnly = subscribe<Update>(
      client,
      seriesSubscription,
      { rlRunId, domains: ['math'], maxRateHz: 1 },
      'rewardSeriesUpdated',
    );
    await settle();
    // Ten batches within a second: at most a couple of updates, not ten.
    const sent = [];
    for (let batch = 0; batch < 10; batch++) {
      const rewards = [
        rewardAssignedEvent({
          rlRunId,
          step: 1 + (batch % 2),
          domain: 'math',
          value: batch % 3 === 0 ? 0 : 1,
        }),
        rewardAssignedEvent({ rlRunId, step: 2, domain: 'code', value: 1 }),
      ];
      sent.push(...rewards);
      await under.send(rewards);
    }
    await under.sendAndProject([sent.at(-1)!]);
    const last = sent.at(-1)!;
    const lastPosition = (
      await under.gql(`query($id: ID!) { event(id: $id) { position } }`, { id: last.id })
    ).event.position as string;
    await expectEventually(() =>
      expect(BigInt(updates.items.at(-1)?.throughPosition ?? '0')).toBeGreaterThanOrEqual(
        BigInt(lastPosition),
      ),
    );
    expect(updates.items.length).toBeLessThanOrEqual(4);
    // The latest value of each step, domain and kind is what the series of one-step buckets says.
    const latest = new Map<string, Record<string, number>>();
    for (const update of updates.items)
      for (const change of update.changes)
        latest.set(`${change.domain}/${change.point.fromStep}`, change.point);
    const series = await under.gql(
      `query($id: ID!) {
        math: rewardSeries(rlRunId: $id, domain: "math") { points { fromStep toStep count mean min max passRate } }
        code: rewardSeries(rlRunId: $id, domain: "code") { points { fromStep toStep count mean min max passRate } } }`,
      { id: rlRunId },
    );
    for (const domain of ['math', 'code'])
      for (const point of series[domain][0].points)
        expect(latest.get(`${domain}/${point.fromStep}`)).toEqual(point);
    expect(latest.size).toBe(3); // math 1, math 2, code 2
    await expectEventually(() => expect(mathOnly.items.length).toBeGreaterThan(0));
    for (const update of mathOnly.items)
      for (const change of update.changes) expect(change.domain).toBe('math');
    updates.stop();
    mathOnly.stop();
  });

  it('refuses a maxRateHz out of range', async () => {
    const received = subscribe<Record<string, unknown>>(
      connect(),
      `subscription { rewardSeriesUpdated(rlRunId: "r", maxRateHz: 100) { rlRunId } }`,
      {},
      'rewardSeriesUpdated',
    );
    await expectEventually(() => expect(received.errors).not.toHaveLength(0));
    expect(JSON.stringify(received.errors)).toContain('maxRateHz: 100 is not from 0.1 to 20');
  });

  it('refuses a malformed afterPosition, saying why', async () => {
    const received = subscribe<Record<string, unknown>>(
      connect(),
      rewardSubscription,
      { rlRunId: 'r', afterPosition: 'yesterday' },
      'rewardAssigned',
    );
    await expectEventually(() => expect(received.errors).not.toHaveLength(0));
    expect(JSON.stringify(received.errors)).toContain(
      'afterPosition: \\"yesterday\\" is not a journal position',
    );
  });

  describe('with a second API process', () => {
    let second: ChildProcess;
    let secondUrl: string;
    beforeAll(async () => {
      const port = await freePort();
      secondUrl = `http://127.0.0.1:${port}`;
      second = spawn(process.execPath, [BUILT_CLI, 'api'], {
        env: {
          ...process.env,
          DATABASE_URL: under.database.url,
          PORT: String(port),
          LOG_LEVEL: 'error',
        },
        stdio: 'ignore',
      });
      await expectEventually(async () => {
        const response = await fetch(`${secondUrl}/health`);
        expect(response.status).toBe(200);
      }, 20_000);
    });
    afterAll(() => {
      second?.kill('SIGTERM');
    });

    it('delivers from both processes: the projector in the first announces through Postgres', async () => {
      const rlRunId = freshId('rl');
      const here = subscribe<Record<string, unknown>>(
        connect(),
        rewardSubscription,
        { rlRunId },
        'rewardAssigned',
      );
      const there = subscribe<Record<string, unknown>>(
        connect(secondUrl),
        rewardSubscription,
        { rlRunId },
        'rewardAssigned',
      );
      await settle();
      const rewards = rewardsOf(rlRunId, 4);
      await under.sendAndProject(rewards);
      const ids = rewards.map((event) => event.data.rewardId);
      await expectEventually(() => expect(there.items.map((item) => item.id)).toEqual(ids));
      await expectEventually(() => expect(here.items.map((item) => item.id)).toEqual(ids));
      here.stop();
      there.stop();
    });
  });
});

describe('a slow subscriber', () => {
  const LIMIT = 100;
  let under: TrackerUnderTest;
  beforeAll(async () => {
    under = await TrackerUnderTest.start('live_slow', { LIVE_SUBSCRIBER_BUFFER: String(LIMIT) });
  });
  afterAll(() => under?.stop());

  /** A raw graphql-ws connection whose reading can be paused, as a stalled browser tab. */
  async function rawSubscriber(query: string, variables: Record<string, unknown>) {
    const socket = new WebSocket(wsUrl(under.url), 'graphql-transport-ws');
    const messages: Array<{ type: string; payload?: any }> = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await expectEventually(() => expect(messages[0]?.type).toBe('connection_ack'));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
    const raw = (socket as unknown as { _socket: import('node:net').Socket })._socket;
    return {
      messages,
      pause: () => raw.pause(),
      resume: () => raw.resume(),
      close: () => socket.terminate(),
    };
  }

  it('is cut off past the buffer bound with the position to resume after, while others get everything', async () => {
    const rlRunId = freshId('rl');
    const query = `subscription($rlRunId: ID!, $afterPosition: String) {
      rewardAssigned(rlRunId: $rlRunId, afterPosition: $afterPosition) { id position rubricIds } }`;
    // Same selection and arguments: one shared execution, a queue each. And one resuming alone.
    const sharedSlow = await rawSubscriber(query, { rlRunId });
    const ownSlow = await rawSubscriber(query, { rlRunId, afterPosition: '0' });
    const client = createClient({
      url: wsUrl(under.url),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const fast = subscribe<Record<string, unknown>>(client, query, { rlRunId }, 'rewardAssigned');
    await new Promise((resolve) => setTimeout(resolve, 300));
    sharedSlow.pause();
    ownSlow.pause();

    // About 50 kB each, 40 MB in all: more than the socket buffers between server and client
    // hold, sent 50 at a time as the fast subscriber takes them.
    const rubricIds = Array.from(
      { length: 400 },
      (_, index) => `rubric-${index}-${'x'.repeat(110)}`,
    );
    const rewards = rewardsOf(rlRunId, 800, { rubricIds });
    for (let start = 0; start < rewards.length; start += 50) {
      await under.send(rewards.slice(start, start + 50));
      await expectEventually(() => expect(fast.items).toHaveLength(start + 50), 30_000);
    }
    expect(fast.items.map((item) => item.id)).toEqual(rewards.map((event) => event.data.rewardId));
    expect(fast.errors).toEqual([]);

    for (const slow of [sharedSlow, ownSlow]) {
      slow.resume();
      await expectEventually(() =>
        expect(slow.messages.some((message) => message.type === 'error')).toBe(true),
      );
      const error = slow.messages.find((message) => message.type === 'error')!;
      expect(error.payload[0].extensions).toEqual({ code: 'SUBSCRIBER_TOO_SLOW' });
      expect(error.payload[0].message).toContain(`more than ${LIMIT}`);
      const delivered = slow.messages.filter((message) => message.type === 'next');
      expect(delivered.length).toBeLessThan(rewards.length);
      expect(delivered.map((message) => message.payload.data.rewardAssigned.id)).toEqual(
        rewards.slice(0, delivered.length).map((event) => event.data.rewardId),
      );
      if (slow === ownSlow) {
        // It names where to resume: right after the last reward it was sent.
        const last = delivered.at(-1)!.payload.data.rewardAssigned.position as string;
        expect(error.payload[0].message).toContain(`afterPosition: "${last}"`);
      }
      slow.close();
    }
    await client.dispose();
  }, 120_000);
});
