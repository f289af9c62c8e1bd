/**
 * bench/soak: a sustained mixed load for a set time, with faults injected on a schedule.
 *
 * - Load: bench/ingest's RL-heavy mix (plus a sealed dataset version every 1,000 messages and
 *   one poison message in 1,000) offered at --rate messages/s on a fixed schedule, into Kafka
 *   (librdkafka's mock cluster): straight from a kafkajs producer, and one append in ten
 *   through the API's POST /v1/events (which appends to the same topic). Poison always goes
 *   straight to Kafka. A failed append is sent again; only appends that succeeded are accepted.
 * - At the same time: GraphQL questions at --query-rate (lineage of the last accepted reward, a
 *   run's rewardSeries, the audit of the last sealed dataset version), and --subscribers
 *   graphql-ws subscribers of rewardAssigned, one connection and one run each.
 * - Processes: the projector (built CLI) reaching Postgres through a TCP proxy (so Postgres can
 *   be made unreachable), the API (built CLI) on Postgres directly, the Kafka mock, and a fresh
 *   database (dropped at the end unless --keep).
 * - Faults, every --fault-every s in turn: Kafka broker down then up, projector SIGKILL then
 *   restart, the tracker's Postgres backends terminated, Postgres unreachable then restored,
 *   Kafka Produce errors.
 *
 * Every --report-every s one line: accepted, projected, lag, query and delivery latencies, RSS
 * of each process. At the end: accepted vs projected, compared by event id; dead letters by
 * reason against the poison sent; subscriber deliveries lost or doubled; the p99 latencies over
 * time; memory at start and end. Exits 1 when any of these is wrong, a process crashed, or the
 * RSS of the API or the projector grew by more than --max-rss-growth-mib.
 *
 *   npm run bench:soak -- --minutes 10 --rate 500 --fault-every 60 --report-every 30
 *   npm run bench:soak -- --seconds 120 --fault-every 20 --report-every 10
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { KafkaEventLogProducer } from '@tracker/log';
import { runMigrations } from '@tracker/read-model';
import {
  ADMIN_URL,
  BUILT_CLI,
  admin,
  freePort,
  installKafkajsMockShim,
  rewardAssignedEvent,
  spawnProjectorProcess,
  startKafkaMock,
  startTcpProxy,
  type KafkaMock,
  type TcpProxy,
} from '@tracker/testing';
import { selectFaults, startFaultSchedule, type FaultRecord } from './fault-schedule';
import { AcceptedLoad, POISON_KINDS, poisonKindOf, SoakMix, startLoad, type Load } from './load';
import { childPid, rssMiB, Supervised, type Crash } from './processes';
import { startQueries, type Queries } from './queries';
import {
  clock,
  fixed,
  IntervalCollector,
  intervalLine,
  latencyTable,
  type Interval,
} from './report';
import { RewardSubscriber } from './subscribers';
import { numberArgument, textArgument } from '../arguments';

const MINUTES = numberArgument('minutes', 10);
const SECONDS = numberArgument('seconds', MINUTES * 60);
const RATE = numberArgument('rate', 500);
const FAULT_EVERY = numberArgument('fault-every', 60);
const REPORT_EVERY = numberArgument('report-every', 30);
const QUERY_RATE = numberArgument('query-rate', 6);
const SUBSCRIBERS = numberArgument('subscribers', 8);
const HTTP_SHARE = numberArgument('http-share', 0.1);
const POISON_EVERY = numberArgument('poison-every', 1_000);
const MAX_RSS_GROWTH_MIB = numberArgument('max-rss-growth-mib', 150);
const CATCH_UP_SECONDS = numberArgument('catch-up-seconds', 120);
const PARTITIONS = numberArgument('partitions', 16);
const RECOVERY_WATCH_MS = 120_000;
const RUNS = numberArgument('runs', 64);
const KEEP = process.argv.includes('--keep');
const FAULT_LIST = selectFaults(textArgument('faults'));
// The processes whose memory must stay bounded (the Kafka mock keeps ~5 MiB per partition by
// design, and the soak itself holds every accepted id).
const BOUNDED = ['api', 'projector'];

// The API appends to Kafka (POST /v1/events): it needs the mock's shim too.
const SHIM_PRELOAD = join(__dirname, 'kafkajs-mock-shim.preload.js');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const print = (line = '') => process.stdout.write(`${line}\n`);

/** The bare produce rate of the mock with kafkajs (idempotent, 500 per append): the raw limit. */
async function bareProduceRate(kafka: KafkaMock, topic: string, tag: string): Promise<number> {
  const producer = new KafkaEventLogProducer({
    brokers: kafka.brokers,
    clientId: 'bench-soak-bare',
    topic,
    logLevel: 'nothing',
  });
  try {
    const mix = new SoakMix(`${tag}-bare`, RUNS, 0);
    const records = Array.from({ length: 20_000 }, () => mix.next());
    await producer.append(records.slice(0, 500)); // connection and metadata, not timed
    const started = Date.now();
    for (let index = 500; index < records.length; index += 500) {
      await producer.append(records.slice(index, index + 500));
    }
    return ((records.length - 500) / (Date.now() - started)) * 1000;
  } finally {
    await producer.close();
  }
}

async function journalCount(pool: Pool): Promise<number> {
  return Number((await pool.query('SELECT count(*) FROM event_journal')).rows[0].count);
}

async function waitForApi(url: string): Promise<void> {
  for (const started = Date.now(); ; await sleep(200)) {
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    if (Date.now() - started > 30_000) throw new Error('the API did not start');
  }
}

async function main(): Promise<number> {
  const tag = `soak-${randomUUID().slice(0, 8)}`;
  const topic = `tracker.events.${tag}`;
  const databaseName = `tracker_bench_${tag.replace('-', '_')}`;
  const groupId = `${tag}-projector`;
  const logDirectory = mkdtempSync(join(tmpdir(), `${tag}-`));
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;
  const failures: string[] = [];
  const crashes: Crash[] = [];
  const faults: FaultRecord[] = [];
  const intervals: Interval[] = [];

  let interrupted = false;
  let wakeMain: (() => void) | undefined;
  installKafkajsMockShim(); // the mock's controller-id quirk; bench/test only
  const kafka = await startKafkaMock({
    topics: [
      { name: topic, partitions: PARTITIONS },
      { name: `${topic}.bare`, partitions: 4 },
    ],
  });
  let pool: Pool | undefined;
  let proxy: TcpProxy | undefined;
  let projector: Supervised | undefined;
  let api: Supervised | undefined;
  let producer: KafkaEventLogProducer | undefined;
  let load: Load | undefined;
  let queries: Queries | undefined;
  let schedule: { stop(): Promise<void> } | undefined;
  const subscribers: RewardSubscriber[] = [];
  let databaseCreated = false;

  // Ctrl-C reaches the children too (one process group): no checks then, only the cleanup.
  process.on('SIGINT', () => {
    if (interrupted) return; // cleanup is under way
    interrupted = true;
    projector?.abandon();
    api?.abandon();
    print('  interrupted: cleaning up, no checks');
    wakeMain?.();
  });

  try {
    const bareRate = await bareProduceRate(kafka, `${topic}.bare`, tag);

    await admin((client) => client.query(`CREATE DATABASE ${databaseName}`));
    databaseCreated = true;
    await runMigrations(databaseUrl.toString());
    pool = new Pool({ connectionString: databaseUrl.toString(), max: 3 });
    pool.on('error', () => undefined);
    const adminUrl = new URL(ADMIN_URL);
    proxy = await startTcpProxy({
      host: adminUrl.hostname,
      port: Number(adminUrl.port || 5432),
    });
    const proxiedUrl = new URL(databaseUrl);
    proxiedUrl.host = `127.0.0.1:${proxy.port}`;

    projector = new Supervised(
      'projector',
      () =>
        spawnProjectorProcess({
          databaseUrl: proxiedUrl.toString(),
          kafkaBootstrap: kafka.bootstrap,
          topic,
          groupId,
          logLevel: 'error',
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      join(logDirectory, 'projector.log'),
      crashes,
    );
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    api = new Supervised(
      'api',
      () =>
        spawn(process.execPath, ['--require', SHIM_PRELOAD, BUILT_CLI, 'api'], {
          env: {
            ...process.env,
            LOG_LEVEL: 'error',
            DATABASE_URL: databaseUrl.toString(),
            KAFKA_BROKERS: kafka.bootstrap,
            KAFKA_TOPIC: topic,
            PORT: String(port),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
      join(logDirectory, 'api.log'),
      crashes,
    );
    projector.start();
    api.start();
    await waitForApi(apiUrl);
    const kafkaPid = childPid('kafka-mock');

    producer = new KafkaEventLogProducer({
      brokers: kafka.brokers,
      clientId: 'bench-soak',
      topic,
      logLevel: 'nothing',
    });
    const watchedRuns = Array.from({ length: SUBSCRIBERS }, (_, index) =>
      SoakMix.runId(tag, index % RUNS),
    );
    const accepted = new AcceptedLoad(watchedRuns);
    const collector = new IntervalCollector();
    const wsUrl = `${apiUrl.replace('http', 'ws')}/graphql`;
    for (const run of watchedRuns) {
      subscribers.push(
        new RewardSubscriber(wsUrl, run, (delivery) => collector.addDelivery(delivery)),
      );
    }

    // Warm-up: a reward of each watched run, again and again, until every subscriber has one
    // (the whole path works, and the subscriptions are registered).
    for (
      const started = Date.now();
      !interrupted && subscribers.some((each) => each.seen.size === 0);
    ) {
      const records = watchedRuns.map((rlRunId) => {
        const event = rewardAssignedEvent({ rlRunId, step: 0 });
        return {
          key: event.subject,
          value: JSON.stringify(event),
          id: event.id,
          reward: { rewardId: event.data.rewardId, rlRunId },
        };
      });
      await producer.append(records);
      accepted.accept(records);
      if (Date.now() - started > 90_000) throw new Error('no reward came through the warm-up');
      await sleep(500);
    }
    // Deliveries are checked for what the load accepts from now on.
    for (const rewards of accepted.rewardsOfWatchedRuns.values()) rewards.clear();

    const sample = (): Record<string, number> => ({
      api: rssMiB(api?.pid),
      projector: rssMiB(projector?.pid),
      kafka: rssMiB(kafkaPid),
      soak: process.memoryUsage().rss / 2 ** 20,
    });
    const atLoadStart = sample();
    const durationMs = SECONDS * 1000;
    print(
      `bench/soak: ${clock(durationMs)} at ${RATE} messages/s (1 in ${POISON_EVERY} poison; ${Math.round(HTTP_SHARE * 100)}% of appends via POST /v1/events, the rest straight to Kafka), ${PARTITIONS} partitions, ${FAULT_EVERY > 0 ? `faults every ${FAULT_EVERY} s (${FAULT_LIST.map((fault) => fault.option).join(', ')})` : 'no faults'}, ${QUERY_RATE} queries/s, ${SUBSCRIBERS} subscribers; logs in ${logDirectory}`,
    );
    const loadStartedAt = Date.now();
    load = startLoad({
      rate: RATE,
      httpShare: HTTP_SHARE,
      producer,
      apiUrl,
      mix: new SoakMix(tag, RUNS, POISON_EVERY),
      accepted,
    });
    queries = startQueries(
      apiUrl,
      QUERY_RATE,
      accepted,
      watchedRuns[0] ?? SoakMix.runId(tag, 0),
      (timing) => collector.addQuery(timing),
    );
    // After each fault: how long until the projection holds what was accepted by its end.
    const recoveries: Promise<void>[] = [];
    let watching = true;
    const watchRecovery = async (fault: FaultRecord) => {
      const target = accepted.ids.size;
      const from = Date.now();
      while (watching && Date.now() - from < RECOVERY_WATCH_MS) {
        if ((await journalCount(pool!).catch(() => 0)) >= target) {
          fault.recoveredMs = Date.now() - from;
          print(
            `  ${clock(Date.now() - loadStartedAt)}  recovered from ${fault.name} in ${fixed(fault.recoveredMs / 1000, 1)} s (projection holds the ${target} events accepted by its end)`,
          );
          return;
        }
        await sleep(250);
      }
      if (!watching) return; // the load ended first: the final check covers it
      fault.recoveredMs = null;
      print(
        `  ${clock(Date.now() - loadStartedAt)}  NOT recovered from ${fault.name} within ${fixed((Date.now() - from) / 1000)} s: the projection does not hold the ${target} events accepted by its end`,
      );
    };
    if (FAULT_EVERY > 0) {
      schedule = startFaultSchedule(
        FAULT_LIST,
        { kafka, proxy, projector, pool, databaseName },
        FAULT_EVERY * 1000,
        loadStartedAt,
        (fault) => {
          faults.push(fault);
          collector.addFault(fault);
          print(
            `  ${clock(fault.startedAt)}-${clock(fault.endedAt)}  fault: ${fault.name}: ${fault.detail}`,
          );
          recoveries.push(watchRecovery(fault));
        },
      );
    }

    // The load runs; one line per report interval.
    const report = async (elapsedMs: number) => {
      const projected = await journalCount(pool!).catch(() => NaN);
      const interval = collector.close(elapsedMs, accepted.ids.size, projected, sample());
      intervals.push(interval);
      print(intervalLine(interval));
    };
    while (!interrupted) {
      const elapsed = Date.now() - loadStartedAt;
      if (elapsed >= durationMs) break;
      const nextReport = (intervals.length + 1) * REPORT_EVERY * 1000;
      await new Promise<void>((resolve) => {
        wakeMain = resolve;
        setTimeout(resolve, Math.min(nextReport, durationMs) - elapsed);
      });
      const now = Date.now() - loadStartedAt;
      if (now >= nextReport || now >= durationMs) await report(now);
    }
    const loadMs = Date.now() - loadStartedAt;
    if (interrupted) return 130;

    // Stop: the fault in progress is repaired first, then the producers finish their appends.
    await schedule?.stop();
    watching = false;
    await Promise.all(recoveries);
    const stopped = await Promise.race([
      Promise.all([load.stop(), queries.stop()]).then(() => true),
      sleep(120_000).then(() => false),
    ]);
    if (!stopped) failures.push('the producers could not finish their appends within 120 s');

    // Catch-up: the projector must reach every accepted event (bounded wait).
    const catchUpStarted = Date.now();
    let projected = await journalCount(pool);
    while (projected < accepted.ids.size && Date.now() - catchUpStarted < CATCH_UP_SECONDS * 1000) {
      await sleep(250);
      projected = await journalCount(pool);
    }
    const catchUpMs = Date.now() - catchUpStarted;
    await sleep(1_000); // anything beyond the accepted events would show up now
    projected = await journalCount(pool);

    // Compare ids, not only counts.
    const journal = await pool.query<{ event_id: string; copies: string }>(
      'SELECT event_id, count(*) AS copies FROM event_journal GROUP BY event_id',
    );
    const journaled = new Set<string>();
    let doubled = 0;
    let unexpected = 0;
    for (const row of journal.rows) {
      journaled.add(row.event_id);
      if (row.copies !== '1') doubled++;
      if (!accepted.ids.has(row.event_id)) unexpected++;
    }
    let missing = 0;
    const missingExamples: string[] = [];
    for (const id of accepted.ids) {
      if (journaled.has(id)) continue;
      missing++;
      if (missingExamples.length < 5) missingExamples.push(id);
    }
    if (projected !== accepted.ids.size)
      failures.push(`accepted ${accepted.ids.size} events, projected ${projected}`);
    if (missing > 0)
      failures.push(
        `${missing} accepted events missing from the journal (${missingExamples.join(', ')})`,
      );
    if (doubled > 0) failures.push(`${doubled} events journaled more than once`);
    if (unexpected > 0) failures.push(`${unexpected} journaled events were never accepted`);

    // Dead letters: each poison message once per copy in the log (a retried append may have
    // written it twice), so distinct raw bytes per reason must equal the poison sent.
    const letters = await pool.query<{
      reason: string;
      stage: string;
      copies: string;
      distinct: string;
    }>(
      `SELECT reason, stage, count(*) AS copies, count(DISTINCT md5(raw)) AS distinct FROM dead_letters
       GROUP BY reason, stage ORDER BY count(*) DESC`,
    );
    const deadByKind = new Map<string, number>();
    for (const row of letters.rows) {
      const kind = poisonKindOf(row.reason) ?? 'unexpected';
      deadByKind.set(kind, (deadByKind.get(kind) ?? 0) + Number(row.distinct));
    }
    for (const kind of POISON_KINDS) {
      if ((deadByKind.get(kind) ?? 0) !== accepted.poison.get(kind))
        failures.push(
          `dead letters of ${kind}: ${deadByKind.get(kind) ?? 0} distinct, ${accepted.poison.get(kind)} sent`,
        );
    }
    if (deadByKind.has('unexpected'))
      failures.push(
        `${deadByKind.get('unexpected')} dead letters for reasons the soak did not cause`,
      );

    // Subscribers: every accepted reward of their run, once (bounded wait).
    const expectedOf = (subscriber: RewardSubscriber) =>
      accepted.rewardsOfWatchedRuns.get(subscriber.rlRunId)!;
    const lostOf = (subscriber: RewardSubscriber) => {
      let lost = 0;
      for (const id of expectedOf(subscriber)) if (!subscriber.seen.has(id)) lost++;
      return lost;
    };
    for (const started = Date.now(); Date.now() - started < 30_000; await sleep(250)) {
      if (subscribers.every((subscriber) => lostOf(subscriber) === 0)) break;
    }
    const expectedDeliveries = subscribers.reduce((sum, each) => sum + expectedOf(each).size, 0);
    const lost = subscribers.reduce((sum, each) => sum + lostOf(each), 0);
    const doubledDeliveries = subscribers.reduce((sum, each) => sum + each.doubled, 0);
    const subscriberErrors = subscribers.flatMap((each) => each.errors);
    if (lost > 0) failures.push(`subscribers lost ${lost} rewards`);
    if (doubledDeliveries > 0) failures.push(`subscribers got ${doubledDeliveries} rewards twice`);

    const finalInterval = collector.close(
      Date.now() - loadStartedAt,
      accepted.ids.size,
      projected,
      sample(),
    );
    if (finalInterval.queries + finalInterval.deliveries > 0) intervals.push(finalInterval);
    const atStart = intervals[0]?.rss ?? atLoadStart;
    const atEnd = finalInterval.rss;
    for (const role of BOUNDED) {
      const growth = atEnd[role] - atStart[role];
      if (!(growth <= MAX_RSS_GROWTH_MIB))
        failures.push(`${role} RSS grew by ${fixed(growth)} MiB (bound ${MAX_RSS_GROWTH_MIB} MiB)`);
    }
    for (const crash of crashes)
      failures.push(
        `${crash.role} exited by itself at ${clock(crash.at - loadStartedAt)} (code ${crash.code}, signal ${crash.signal}); see ${logDirectory}`,
      );
    if (load.refused.length > 0)
      failures.push(
        `POST /v1/events refused ${load.refused.length} valid events (first: ${load.refused[0]})`,
      );

    // The summary.
    const rangeOf = (role: string) => {
      const values = intervals.map((interval) => interval.rss[role]).filter((mib) => mib >= 0);
      return `${fixed(Math.min(...values))}..${fixed(Math.max(...values))}`;
    };
    const acceptedRate = accepted.ids.size / (loadMs / 1000);
    const queryTimes = intervals.reduce((sum, interval) => sum + interval.queries, 0);
    const lines = [
      '',
      `bench/soak summary: ${clock(loadMs)} of load, ${faults.length} faults`,
      `  raw limit, same run: bare kafkajs produce ${Math.round(bareRate)} events/s (idempotent, 500 per append, before the load); offered ${RATE}/s = ${(RATE / bareRate).toFixed(3)} of it, accepted ${Math.round(acceptedRate)}/s = ${(acceptedRate / bareRate).toFixed(3)}`,
      `  load: ${load.generated} messages generated; accepted ${accepted.ids.size} events (warm-up included) + ${accepted.poisonCount} poison; ${load.viaKafka} sent straight to Kafka, ${load.viaHttp} via POST /v1/events; appends sent again: ${load.failedAppends} (Kafka), ${load.failedRequests} (HTTP${load.lastHttpFailure ? `, last: ${load.lastHttpFailure}` : ''})`,
      `  accepted ${accepted.ids.size}  projected ${projected}  ${projected === accepted.ids.size ? 'EQUAL' : 'DIFFER'}; by id: missing ${missing}, doubled ${doubled}, never accepted ${unexpected}; caught up ${fixed(catchUpMs / 1000, 1)} s after the load stopped`,
      '  dead letters by reason (rows, distinct messages; poison sent per kind):',
      ...letters.rows.map(
        (row) =>
          `    ${row.copies.padStart(6)} ${row.distinct.padStart(6)}  [${row.stage}] ${row.reason.length > 110 ? `${row.reason.slice(0, 107)}...` : row.reason}`,
      ),
      `    sent: ${POISON_KINDS.map((kind) => `${kind} ${accepted.poison.get(kind)}`).join(', ')}`,
      `  subscribers: ${SUBSCRIBERS} on rewardAssigned, ${expectedDeliveries} deliveries expected: lost ${lost}, doubled ${doubledDeliveries}, resubscribed ${subscribers.reduce((sum, each) => sum + each.resubscribed, 0)}, errors ${subscriberErrors.length}${subscriberErrors.length > 0 ? ` (first: ${subscriberErrors[0]})` : ''}`,
      `  queries: ${queryTimes} answered or failed, ${intervals.reduce((sum, interval) => sum + interval.queryErrors, 0)} failed`,
      '  faults:',
      ...faults.map(
        (fault) =>
          `    ${clock(fault.startedAt)}-${clock(fault.endedAt)}  ${fault.name}: ${fault.detail}; ${fault.recoveredMs === undefined ? 'the load ended before the projection caught up' : fault.recoveredMs === null ? 'projection NOT recovered while watched' : `projection recovered in ${fixed(fault.recoveredMs / 1000, 1)} s`}`,
      ),
      ...latencyTable(intervals),
      `  memory, RSS MiB: at the first report (${clock(intervals[0]?.elapsedMs ?? 0)}) -> end; bound on growth ${MAX_RSS_GROWTH_MIB} MiB for ${BOUNDED.join(' and ')}`,
      ...Object.keys(atEnd).map(
        (role) =>
          `    ${role.padEnd(10)} ${fixed(atLoadStart[role]).padStart(6)} at load start, ${fixed(atStart[role]).padStart(6)} -> ${fixed(atEnd[role]).padStart(6)}  (${atEnd[role] - atStart[role] >= 0 ? '+' : ''}${fixed(atEnd[role] - atStart[role])}; ${rangeOf(role)} over the reports)${role === 'projector' && projector!.restarts > 0 ? `  restarted ${projector!.restarts} times: the end is a process started since` : ''}${BOUNDED.includes(role) ? '' : '  (not bounded)'}`,
      ),
      `  crashes: ${crashes.length === 0 ? 'none' : crashes.map((crash) => `${crash.role} at ${clock(crash.at - loadStartedAt)}`).join(', ')}`,
      failures.length === 0
        ? '  result: PASS'
        : `  result: FAIL\n${failures.map((failure) => `    - ${failure}`).join('\n')}`,
    ];
    print(lines.join('\n'));
    // The children's logs are for a failure (or --keep); a passing run leaves nothing behind.
    if (failures.length === 0 && !KEEP) rmSync(logDirectory, { recursive: true, force: true });
    else print(`  logs of the api and the projector: ${logDirectory}`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    await schedule?.stop().catch(() => undefined);
    proxy?.restore();
    await kafka.brokerUp(1).catch(() => undefined);
    await Promise.race([
      Promise.all([load?.stop(true), queries?.stop()]).catch(() => undefined),
      sleep(30_000),
    ]);
    for (const subscriber of subscribers) await subscriber.dispose();
    await producer?.close().catch(() => undefined);
    await api?.stop();
    await projector?.stop();
    await proxy?.close();
    await pool?.end().catch(() => undefined);
    if (databaseCreated && !KEEP) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`));
    } else if (databaseCreated) {
      print(`  kept database ${databaseName}`);
    }
    await kafka.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
