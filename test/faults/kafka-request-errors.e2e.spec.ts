import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@tracker/config';
import {
  createTestDatabase,
  expectEventually,
  KafkaApiKey,
  KafkaErrorCode,
  type TestDatabase,
} from '@tracker/testing';
import type { Pool } from 'pg';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';
import {
  AcceptedEvents,
  expectProjectionOf,
  journalCount,
  produceContinuously,
  waitForJournal,
  type Producing,
} from './support/accepted-events';
import { startKafkaFaultFixture, type KafkaFaultFixture } from './support/kafka-fault-fixture';

// Kafka answers requests with errors (librdkafka's mock fails the next N requests of an API,
// from any client, without processing them). Producers and projectors must retry what is
// retriable and report what is not; what was accepted is projected exactly once.

const { Produce, Fetch, OffsetCommit, JoinGroup, SyncGroup, Heartbeat } = KafkaApiKey;

/** Waits until the producer has had `more` appends accepted since now. */
async function appendsGoOn(producing: Producing, more: number): Promise<void> {
  const from = producing.appends;
  await expectEventually(
    () => expect(producing.appends).toBeGreaterThanOrEqual(from + more),
    20_000,
  );
}

/** Waits until the journal has grown by `more` rows since now (the projector goes on). */
async function journalGrows(pool: Pool, more: number, projector: ChildProcess): Promise<void> {
  const from = await journalCount(pool);
  await expectEventually(
    async () => {
      if (projector.exitCode !== null)
        throw new Error(`the projector exited (${projector.exitCode})`);
      expect(await journalCount(pool)).toBeGreaterThanOrEqual(from + more);
    },
    30_000,
    100,
  );
}

async function journaled(pool: Pool, ids: Iterable<string>): Promise<string[]> {
  const { rows } = await pool.query<{ event_id: string }>(
    'SELECT event_id FROM event_journal WHERE event_id = ANY($1)',
    [[...ids]],
  );
  return rows.map((row) => row.event_id);
}

// About 1,000-2,000 events/s: the mock keeps ~5 MiB per partition, and a projector that is
// rejoining for seconds must not find its next offset fallen off the log (OFFSET_OUT_OF_RANGE).
const PACE_MS = 50;

/** FAULTS_DEBUG=1: when each step of a test was reached. */
const step = (name: string) => {
  if (process.env.FAULTS_DEBUG)
    process.stderr.write(`[faults] ${new Date().toISOString()} ${name}\n`);
};

interface Suite {
  readonly fixture: KafkaFaultFixture;
  readonly database: TestDatabase;
}

const occurrences = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('fault: Kafka requests answered with errors', () => {
  // A projector process takes ~10 s to boot here (loading the built app, then joining its
  // group): the brokers, databases and first projectors all start up front, at once. The
  // Produce and the consumer-side errors share one pipeline (producer, topic, projector).
  let pipeline: Suite;
  let ingest: Suite;
  let rebalance: Suite;
  let tracker: RunningTracker;
  let projector: ChildProcess;
  let firstProjector: ChildProcess;
  const accepted = new AcceptedEvents('kafka-errors-run');
  const rebalanceGroup = `rebalance-faults-${randomUUID()}`;

  beforeAll(async () => {
    [pipeline, ingest, rebalance] = await Promise.all([
      startKafkaFaultFixture('kafka-errors', {
        // Three attempts per append: ten errors in a row exhaust an append's retries.
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      }),
      startKafkaFaultFixture('ingest-errors'),
      startKafkaFaultFixture('rebalance-faults', {
        connectionTimeout: 1000,
        retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
      }),
    ]).then(async (fixtures) => {
      const suites: Suite[] = [];
      // One at a time: databases are created from one template.
      for (const fixture of fixtures) {
        const name = fixture.topic.split('.')[2].replace(/-/g, '_');
        suites.push({ fixture, database: await createTestDatabase(`fault_${name}`) });
      }
      return suites;
    });
    projector = pipeline.fixture.startProjector(pipeline.database.url);
    firstProjector = rebalance.fixture.startProjector(rebalance.database.url, {
      groupId: rebalanceGroup,
      logLevel: 'debug',
    });
    const config = loadConfig({
      DATABASE_URL: ingest.database.url,
      KAFKA_BROKERS: ingest.fixture.kafka.bootstrap,
      KAFKA_TOPIC: ingest.fixture.topic,
      KAFKA_GROUP_ID: `ingest-errors-${randomUUID()}`,
      KAFKA_SESSION_TIMEOUT_MS: '3000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      PORT: '0',
      LOG_LEVEL: process.env.FAULTS_DEBUG ? 'warn' : 'error',
    });
    tracker = await startTracker(config, { api: true, projector: true }, false);
  }, 60_000);

  afterAll(async () => {
    await tracker?.close();
    for (const suite of [pipeline, ingest, rebalance]) {
      await suite?.fixture.close();
      await suite?.database.drop();
    }
  });

  describe('Produce errors while a producer sends continuously', () => {
    it('retries retriable errors, reports refusals as not accepted; nothing lost or doubled', async () => {
      const { kafka, producer } = pipeline.fixture;
      const { database } = pipeline;
      const producing = produceContinuously(producer, accepted, 50, PACE_MS, { dropRefused: true });
      try {
        await expectEventually(
          async () => expect(await journalCount(database.pool)).toBeGreaterThan(300),
          45_000,
        );
        step('produce: retriable errors');
        // Retried inside one append: the caller sees nothing.
        await kafka.failRequests(Produce, 2, KafkaErrorCode.NotLeaderOrFollower);
        await appendsGoOn(producing, 5);
        await kafka.failRequests(Produce, 2, KafkaErrorCode.RequestTimedOut);
        await appendsGoOn(producing, 5);
        expect(producing.failedAppends).toBe(0);

        step('produce: retries exhausted');
        // More errors than an append's retries: it fails as unavailable and is sent again.
        await kafka.failRequests(Produce, 10, KafkaErrorCode.NotLeaderOrFollower);
        await expectEventually(() => expect(producing.failedAppends).toBeGreaterThan(0), 20_000);
        await appendsGoOn(producing, 5);

        step('produce: refused');
        // Refused for good: the append is reported failed (not retried) and not accepted.
        await kafka.failRequests(Produce, 1, KafkaErrorCode.InvalidRecord);
        await expectEventually(() => expect(producing.refusedAppends).toBe(1), 20_000);
        await kafka.failRequests(Produce, 1, KafkaErrorCode.MessageTooLarge);
        await expectEventually(() => expect(producing.refusedAppends).toBe(2), 20_000);
        await appendsGoOn(producing, 5);
      } finally {
        await producing.stop();
      }
      step('produce: checking the projection');
      await waitForJournal(database.pool, accepted, 60_000, projector);
      await expectProjectionOf(database.pool, accepted);
      expect(producing.refusedIds.size).toBe(2 * 2 * 50);
      expect(await journaled(database.pool, producing.refusedIds)).toEqual([]);
      expect(projector.exitCode).toBeNull();
    }, 60_000);
  });

  describe('Produce errors behind the HTTP ingest (Kafka mode)', () => {
    const viaApi = new AcceptedEvents('ingest-errors-run');

    /** Posts 5 new pairs; a 200 must have accepted all of them, anything else none. */
    async function post(): Promise<{ status: number; message?: string }> {
      const pairs = viaApi.makePairs(5);
      const response = await fetch(`${tracker.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(pairs.flatMap((pair) => pair.events)),
      });
      const body = (await response.json()) as { accepted?: number; message?: string };
      if (response.status === 200) {
        expect(body).toEqual({ accepted: 10, rejected: [] });
        viaApi.accept(pairs);
      } else {
        for (const pair of pairs) for (const id of pair.ids) notAccepted.add(id);
      }
      return { status: response.status, message: body.message };
    }
    const notAccepted = new Set<string>();

    it('answers 200 only for stored events, and a 5xx that says why otherwise', async () => {
      const { kafka } = ingest.fixture;
      const { database } = ingest;
      expect((await post()).status).toBe(200);
      await kafka.failRequests(Produce, 2, KafkaErrorCode.NotLeaderOrFollower);
      expect((await post()).status).toBe(200); // retried transparently
      await kafka.failRequests(Produce, 2, KafkaErrorCode.NotEnoughReplicas);
      expect((await post()).status).toBe(200);

      step('ingest: refused');
      for (const code of [KafkaErrorCode.InvalidRecord, KafkaErrorCode.MessageTooLarge]) {
        await kafka.failRequests(Produce, 1, code);
        const answer = await post();
        expect(answer.status).toBe(502);
        expect(answer.message).toMatch(/^events not accepted, .*Kafka refused/);
      }
      expect((await post()).status).toBe(200);
      await waitForJournal(database.pool, viaApi, 30_000);
      await expectProjectionOf(database.pool, viaApi);
      expect(notAccepted.size).toBe(2 * 10);
      expect(await journaled(database.pool, notAccepted)).toEqual([]);
    }, 60_000);
  });

  describe('consumer-side errors while the projector consumes', () => {
    it('recovers from Fetch, OffsetCommit and group errors; nothing lost or doubled', async () => {
      const { fixture, database } = pipeline;
      const { kafka, producer } = fixture;
      // kafkajs logs each error response: proof that an injected fault reached the projector.
      const errorResponses = (api: string, error: string) =>
        occurrences(
          fixture.outputOf(projector).log,
          new RegExp(`"message":"Response ${api}\\(key: \\d+[^\\n]*"error":"${error}`, 'g'),
        );
      const reached = (api: string, error: string, count: number) =>
        expectEventually(
          () => expect(errorResponses(api, error)).toBeGreaterThanOrEqual(count),
          20_000,
          100,
        );
      const notLeader = 'This server is not the leader';
      const rebalancing = 'The group is rebalancing';
      const notCoordinator = 'This is not the correct coordinator';
      const producing = produceContinuously(producer, accepted, 25, PACE_MS);
      try {
        await journalGrows(database.pool, 300, projector);
        step('consumer: Fetch errors');
        await kafka.failRequests(Fetch, 2, KafkaErrorCode.NotLeaderOrFollower);
        await reached('Fetch', notLeader, 2);
        await journalGrows(database.pool, 200, projector);

        step('consumer: OffsetCommit errors');
        // The batches are already durable in Postgres with their offsets: a failed commit only
        // leaves Kafka's starting hint behind.
        await kafka.failRequests(OffsetCommit, 3, KafkaErrorCode.RebalanceInProgress);
        await reached('OffsetCommit', rebalancing, 3);
        await journalGrows(database.pool, 200, projector);

        step('consumer: group errors');
        // A heartbeat answered "rebalancing" makes the member rejoin, and the rejoin meets
        // a moved coordinator and another rebalance before it gets its partitions back.
        await kafka.failRequests(JoinGroup, 2, KafkaErrorCode.NotCoordinator);
        await kafka.failRequests(SyncGroup, 2, KafkaErrorCode.RebalanceInProgress);
        await kafka.failRequests(Heartbeat, 2, KafkaErrorCode.RebalanceInProgress);
        await reached('JoinGroup', notCoordinator, 2);
        await reached('SyncGroup', rebalancing, 2);
        await reached('Heartbeat', rebalancing, 2);
        await journalGrows(database.pool, 200, projector);
      } finally {
        await producing.stop();
      }
      await waitForJournal(database.pool, accepted, 60_000, projector);
      await expectProjectionOf(database.pool, accepted);
      expect(projector.exitCode).toBeNull();
    }, 90_000);
  });

  describe('a rebalance under faults', () => {
    const inRebalance = new AcceptedEvents('rebalance-faults-run');

    it('loses and doubles nothing when a second projector joins during faults and is killed', async () => {
      const { fixture, database } = rebalance;
      const { kafka, producer } = fixture;
      const groupId = rebalanceGroup;
      const first = firstProjector;
      const producing = produceContinuously(producer, inRebalance, 25, PACE_MS);
      let second: ChildProcess | undefined;
      try {
        await journalGrows(database.pool, 300, first);

        step('rebalance: the second joins');
        // The second joins; while the group rebalances, appends fail and then the broker goes
        // away for a while.
        second = fixture.startProjector(database.url, { groupId, logLevel: 'debug' });
        const bySecond = fixture.outputOf(second);
        await expectEventually(() => expect(bySecond.log).toContain('"Starting"'), 20_000, 20);
        await kafka.failRequests(Produce, 10, KafkaErrorCode.NotLeaderOrFollower);
        await expectEventually(() => expect(producing.failedAppends).toBeGreaterThan(0), 20_000);
        step('rebalance: broker down');
        await kafka.brokerDown(1);
        const failedWhenDown = producing.failedAppends;
        await expectEventually(
          () => expect(producing.failedAppends).toBeGreaterThan(failedWhenDown),
          20_000,
        );
        await kafka.brokerUp(1);

        step('rebalance: broker up');
        // It gets partitions and projects some of them itself.
        await expectEventually(() => expect(bySecond.projected).toBeGreaterThan(0), 30_000, 100);

        // Killed mid-stream (no leave): after the session timeout the first rejoins and takes
        // the partitions back, from the offsets stored in Postgres, while production goes on.
        const byFirst = fixture.outputOf(first);
        const joinsBefore = byFirst.joins;
        await kafka.failRequests(Produce, 2, KafkaErrorCode.RequestTimedOut);
        step('rebalance: the second is killed');
        second.kill('SIGKILL');
        await expectEventually(
          () => expect(byFirst.joins).toBeGreaterThan(joinsBefore),
          30_000,
          100,
        );
        const firstBefore = byFirst.projected;
        await expectEventually(
          () => expect(byFirst.projected).toBeGreaterThan(firstBefore + 200),
          30_000,
          100,
        );
      } finally {
        await producing.stop();
      }
      step('rebalance: checking the projection');
      await waitForJournal(database.pool, inRebalance, 60_000, first);
      await expectProjectionOf(database.pool, inRebalance);
      expect(first.exitCode).toBeNull();
      expect(second.signalCode).toBe('SIGKILL');
    }, 90_000);
  });
});
