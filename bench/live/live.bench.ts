/**
 * bench/live: one RL run's rewards produced to Kafka (librdkafka's mock cluster) at a fixed rate
 * while a projector (child process) projects them and an API (child process) pushes them over
 * graphql-ws to many subscribers (rewardAssigned, and rewardSeriesUpdated for charts). Prints the
 * produce-to-delivery latency (p50/p99/max), the
 * deliveries lost and doubled (both must be 0), the API's event-loop delay and memory, and, as
 * the raw limit of the pipe in the same run, the produce-to-consume latency of a bare kafkajs
 * consumer of the same topic. Asserts nothing.
 *
 *   npm run bench:live -- --rate 2000 --seconds 60 --rewards-subscribers 10 --series-subscribers 100
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import { Client as PgClient } from 'pg';
import { KafkaEventLogProducer } from '@tracker/log';
import { runMigrations } from '@tracker/read-model';
import {
  ADMIN_URL,
  BUILT_CLI,
  freePort,
  admin,
  graphql,
  installKafkajsMockShim,
  rewardAssignedEvent,
  startKafkaMock,
} from '@tracker/testing';
import { percentile } from '../timing';
import { numberArgument } from '../arguments';

const RATE = numberArgument('rate', 2_000);
const SECONDS = numberArgument('seconds', 60);
const REWARD_SUBSCRIBERS = numberArgument('rewards-subscribers', 10);
const SERIES_SUBSCRIBERS = numberArgument('series-subscribers', 100);
const SERIES_RATE_HZ = numberArgument('series-rate', 4);
const PARTITIONS = numberArgument('partitions', 8);
const DOMAINS = ['math', 'code', 'tool_use', 'writing'];
const REWARDS_PER_STEP = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnRole(role: 'api' | 'projector', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BUILT_CLI, role], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A subscriber's deliveries: when each reward arrived, against when it was produced. */
interface Deliveries {
  readonly latencies: number[];
  readonly seen: Set<string>;
  doubled: number;
  errors: unknown[];
}

function subscribeRewards(client: WsClient, rlRunId: string): Deliveries {
  const deliveries: Deliveries = { latencies: [], seen: new Set(), doubled: 0, errors: [] };
  client.subscribe<{ rewardAssigned: { id: string; assignedAt: string } }>(
    {
      query: `subscription($rlRunId: ID!) { rewardAssigned(rlRunId: $rlRunId) { id assignedAt position } }`,
      variables: { rlRunId },
    },
    {
      next: ({ data, errors }) => {
        if (errors) deliveries.errors.push(...errors);
        if (!data) return;
        const { id, assignedAt } = data.rewardAssigned;
        if (deliveries.seen.has(id)) deliveries.doubled++;
        deliveries.seen.add(id);
        deliveries.latencies.push(Date.now() - Date.parse(assignedAt));
      },
      error: (error) => deliveries.errors.push(error),
      complete: () => undefined,
    },
  );
  return deliveries;
}

/** A chart's updates: how many came, and how far the last one accounts for. */
interface SeriesUpdates {
  updates: number;
  throughPosition: bigint;
  errors: unknown[];
}

function subscribeSeries(client: WsClient, rlRunId: string): SeriesUpdates {
  const received: SeriesUpdates = { updates: 0, throughPosition: 0n, errors: [] };
  client.subscribe<{ rewardSeriesUpdated: { throughPosition: string } }>(
    {
      query: `subscription($rlRunId: ID!, $maxRateHz: Float) { rewardSeriesUpdated(rlRunId: $rlRunId, maxRateHz: $maxRateHz) {
        throughPosition changes { domain kind point { fromStep count mean passRate } } } }`,
      variables: { rlRunId, maxRateHz: SERIES_RATE_HZ },
    },
    {
      next: ({ data, errors }) => {
        if (errors) received.errors.push(...errors);
        if (!data) return;
        received.updates++;
        received.throughPosition = BigInt(data.rewardSeriesUpdated.throughPosition);
      },
      error: (error) => received.errors.push(error),
      complete: () => undefined,
    },
  );
  return received;
}

async function main(): Promise<void> {
  const tag = `live-${randomUUID().slice(0, 8)}`;
  const topic = `tracker.events.${tag}`;
  const databaseName = `tracker_bench_${tag.replace('-', '_')}`;
  const rlRunId = `rl-${tag}`;

  installKafkajsMockShim(); // the mock's controller-id quirk; bench/test only
  const kafka = await startKafkaMock({ topics: [{ name: topic, partitions: PARTITIONS }] });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  await admin((client) => client.query(`CREATE DATABASE ${databaseName}`));
  await runMigrations(url.toString());
  const database = new PgClient({ connectionString: url.toString() });
  await database.connect();

  const port = await freePort();
  const api = `http://127.0.0.1:${port}`;
  const kafkaEnv = {
    DATABASE_URL: url.toString(),
    KAFKA_BROKERS: kafka.bootstrap,
    KAFKA_TOPIC: topic,
    KAFKA_GROUP_ID: `${tag}-projector`,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  };
  const children = [
    spawnRole('projector', kafkaEnv),
    spawnRole('api', { ...kafkaEnv, PORT: String(port) }),
  ];
  const producer = new KafkaEventLogProducer({
    brokers: kafka.brokers,
    clientId: 'bench-live',
    topic,
    logLevel: 'nothing',
  });
  // The raw limit: the same messages read by a bare kafkajs consumer (its own group).
  const bare = new Kafka({
    brokers: kafka.brokers,
    clientId: 'bench-bare',
    logLevel: logLevel.NOTHING,
  });
  const consumer = bare.consumer({
    groupId: `${tag}-bare`,
    sessionTimeout: 6000,
    heartbeatInterval: 1000,
    maxWaitTimeInMs: 100,
  });
  const bareLatencies: number[] = [];
  const clients: WsClient[] = [];

  try {
    for (let started = Date.now(); ; await sleep(200)) {
      const healthy = await fetch(`${api}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) break;
      if (Date.now() - started > 30_000) throw new Error('the API did not start');
    }
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    let bareTiming = false;
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (bareTiming) bareLatencies.push(Date.now() - Number(message.timestamp));
      },
    });

    // Warm-up: rewards through the whole path until a subscriber receives one.
    const warm = createClient({
      url: `${api.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
    });
    clients.push(warm);
    const warmRun = `${rlRunId}-warm-up`;
    const warmed = subscribeRewards(warm, warmRun);
    for (let started = Date.now(); warmed.seen.size === 0; await sleep(250)) {
      const event = rewardAssignedEvent({ rlRunId: warmRun, step: 1 });
      await producer.append([{ key: event.subject, value: JSON.stringify(event) }]);
      if (Date.now() - started > 60_000) throw new Error('no reward came through the warm-up');
    }

    const subscribers: Deliveries[] = [];
    for (let index = 0; index < REWARD_SUBSCRIBERS; index++) {
      // One connection each, as browsers would have.
      const client = createClient({
        url: `${api.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
      });
      clients.push(client);
      subscribers.push(subscribeRewards(client, rlRunId));
    }
    const charts: SeriesUpdates[] = [];
    for (let index = 0; index < SERIES_SUBSCRIBERS; index++) {
      const client = createClient({
        url: `${api.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
      });
      clients.push(client);
      charts.push(subscribeSeries(client, rlRunId));
    }
    await sleep(1_000);
    await graphql(
      api,
      `
        query {
          apiStatus(resetEventLoopDelay: true) {
            pid
          }
        }
      `,
    );
    bareTiming = true;

    // Produce RATE rewards/s for SECONDS, in 10 ms slices, stamped with their produce time.
    const total = RATE * SECONDS;
    const started = Date.now();
    let produced = 0;
    while (produced < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
      if (due > produced) {
        const records = [];
        for (; produced < due; produced++) {
          const event = rewardAssignedEvent(
            {
              rlRunId,
              step: Math.floor(produced / REWARDS_PER_STEP),
              domain: DOMAINS[produced % DOMAINS.length],
              value: produced % 3 === 0 ? 0 : 1,
            },
            { time: new Date().toISOString() },
          );
          records.push({ key: event.subject, value: JSON.stringify(event) });
        }
        await producer.append(records);
      }
      await sleep(10);
    }
    const produceSeconds = (Date.now() - started) / 1000;

    // Everything produced must reach every subscriber.
    const waitStarted = Date.now();
    while (subscribers.some((subscriber) => subscriber.seen.size < total)) {
      if (Date.now() - waitStarted > 60_000) break;
      await sleep(100);
    }
    const lastPosition = BigInt(
      (
        await database.query<{ max: string }>(
          'SELECT max(position)::text AS max FROM rewards WHERE rl_run_id = $1',
          [rlRunId],
        )
      ).rows[0].max ?? '0',
    );
    while (charts.some((chart) => chart.throughPosition < lastPosition)) {
      if (Date.now() - waitStarted > 60_000) break;
      await sleep(100);
    }
    bareTiming = false;
    const { apiStatus } = await graphql<{
      apiStatus: {
        rssBytes: number;
        heapUsedBytes: number;
        liveStreams: number;
        sharedExecutions: number;
        eventLoopDelay: { p50: number; p99: number; max: number };
      };
    }>(
      api,
      `
        query {
          apiStatus {
            rssBytes
            heapUsedBytes
            liveStreams
            sharedExecutions
            eventLoopDelay {
              p50
              p99
              max
            }
          }
        }
      `,
    );

    const latencies = subscribers
      .flatMap((subscriber) => subscriber.latencies)
      .sort((a, b) => a - b);
    const bareSorted = [...bareLatencies].sort((a, b) => a - b);
    const lost = subscribers.reduce((sum, subscriber) => sum + (total - subscriber.seen.size), 0);
    const doubled = subscribers.reduce((sum, subscriber) => sum + subscriber.doubled, 0);
    const errors = subscribers.flatMap((subscriber) => subscriber.errors);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const lines = [
      `bench/live: ${total} rewards of one run produced to Kafka at ${RATE}/s for ${produceSeconds.toFixed(1)} s (${PARTITIONS} partitions), projected by the projector, pushed by one API process`,
      `  rewardAssigned: ${REWARD_SUBSCRIBERS} subscribers (shared executions in the API, warm-up and charts included: ${apiStatus.sharedExecutions}), ${latencies.length} deliveries`,
      `    produce -> delivery   p50 ${ms(percentile(latencies, 50))}  p99 ${ms(percentile(latencies, 99))}  max ${ms(latencies.at(-1) ?? NaN)}  (target p99 < 250 ms: ${percentile(latencies, 99) < 250 ? 'met' : 'NOT met'})`,
      `    lost ${lost}, doubled ${doubled}, errors ${errors.length}${errors.length > 0 ? ` (first: ${JSON.stringify(errors[0])})` : ''}`,
      `  rewardSeriesUpdated: ${SERIES_SUBSCRIBERS} subscribers at maxRateHz ${SERIES_RATE_HZ}: ${charts.reduce((sum, chart) => sum + chart.updates, 0)} updates (${(charts.reduce((sum, chart) => sum + chart.updates, 0) / Math.max(1, SERIES_SUBSCRIBERS) / produceSeconds).toFixed(1)}/s each); charts not up to the last reward at the end: ${charts.filter((chart) => chart.throughPosition < lastPosition).length}; errors ${charts.flatMap((chart) => chart.errors).length}`,
      `  raw limit, same run: bare kafkajs consumer, produce -> consume  p50 ${ms(percentile(bareSorted, 50))}  p99 ${ms(percentile(bareSorted, 99))}  (delivery p99 / consume p99 = ${(percentile(latencies, 99) / percentile(bareSorted, 99)).toFixed(2)})`,
      `  API process: event-loop delay p50 ${apiStatus.eventLoopDelay.p50.toFixed(1)} ms  p99 ${apiStatus.eventLoopDelay.p99.toFixed(1)} ms  max ${apiStatus.eventLoopDelay.max.toFixed(1)} ms; rss ${(apiStatus.rssBytes / 2 ** 20).toFixed(0)} MiB, heap ${(apiStatus.heapUsedBytes / 2 ** 20).toFixed(0)} MiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const client of clients) await Promise.resolve(client.dispose()).catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
    await producer.close().catch(() => undefined);
    await database.end().catch(() => undefined);
    for (const child of children) child.kill('SIGTERM');
    await sleep(1_000);
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    await kafka.stop();
  }
}

main().catch((error) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
