/**
 * bench/ingest: N events (default 200,000; mostly rollouts and rewards) produced to Kafka
 * (librdkafka's mock cluster), projected by the real projector (a child process, the built
 * CLI), timed until the projection has caught up; then a second projector works off the same
 * topic as a backlog (its own rate, without the producer). In the same run it measures the raw
 * limits of the pipe: the same messages consumed by a bare kafkajs consumer, and the same
 * journal rows written by COPY into Postgres. Prints figures; asserts nothing.
 *
 *   npm run bench:ingest -- --events 200000 --partitions 32
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { KafkaEventLogProducer } from '@tracker/log';
import { runMigrations } from '@tracker/read-model';
import { ADMIN_URL, admin, installKafkajsMockShim, startKafkaMock } from '@tracker/testing';
import { eventMix } from './event-mix';
import { numberArgument } from '../arguments';

const EVENTS = numberArgument('events', 200_000);
// The mock broker keeps only ~5 MiB per partition: 64 partitions hold 200,000 events.
const PARTITIONS = numberArgument('partitions', 64);
// Many runs (subjects) so that keys spread evenly over the partitions.
const RUNS = numberArgument('runs', 512);
const MAIN = join(__dirname, '../../apps/cli/src/main.js');

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CPU time (ms) used so far by the projector process and by all Postgres processes, read from
 * /proc (Linux; clock ticks of 10 ms): where the time of an event goes. Null elsewhere.
 */
interface CpuTimes {
  readonly projector: number;
  readonly postgres: number;
}

function cpuTimes(projectorPid: number): CpuTimes | null {
  const ticks = (pid: string | number) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  try {
    let postgres = 0;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') postgres += ticks(pid);
      } catch {
        // the process ended meanwhile
      }
    }
    return { projector: ticks(projectorPid), postgres };
  } catch {
    return null;
  }
}

/** A fresh, migrated database for one projector run; dropped by the caller. */
async function createBenchDatabase(name: string): Promise<{ url: string; client: Client }> {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  await runMigrations(url.toString());
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return { url: url.toString(), client };
}

/**
 * Messages the projector has applied: the stored offsets (one row per partition, written in
 * its transactions). Polled every 20 ms, so it must be cheap: counting the journal would scan it.
 */
async function appliedMessages(database: Client, groupId: string): Promise<number> {
  const { rows } = await database.query<{ applied: string }>(
    'SELECT coalesce(sum(last_offset + 1), 0) AS applied FROM consumer_offsets WHERE group_id = $1',
    [groupId],
  );
  return Number(rows[0].applied);
}

/** Waits until `total` messages are applied; returns when the first and the last were seen. */
async function waitUntilApplied(
  database: Client,
  groupId: string,
  total: number,
  onFirstSeen?: () => void,
): Promise<{ firstSeenAt: number; firstSeen: number; doneAt: number }> {
  let firstSeen = 0;
  let firstSeenAt = 0;
  let seen = 0;
  let progressAt = Date.now();
  for (let count = 0; ; count = await appliedMessages(database, groupId)) {
    if (count > 0 && firstSeenAt === 0) {
      [firstSeen, firstSeenAt] = [count, Date.now()];
      onFirstSeen?.();
    }
    if (count >= total) return { firstSeenAt, firstSeen, doneAt: Date.now() };
    if (count > seen) [seen, progressAt] = [count, Date.now()];
    if (Date.now() - progressAt > 30_000)
      throw new Error(`projection stalled at ${count} of ${total} events`);
    await sleep(20);
  }
}

function spawnProjector(databaseUrl: string, bootstrap: string, topic: string, groupId: string) {
  return spawn(process.execPath, [MAIN, 'projector'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: bootstrap,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: groupId,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
      LOG_LEVEL: process.env.BENCH_PROJECTOR_LOG_LEVEL ?? 'error',
    },
    stdio: ['ignore', process.env.BENCH_PROJECTOR_LOG_LEVEL ? 'inherit' : 'ignore', 'inherit'],
  });
}

async function main(): Promise<void> {
  const tag = `bench-${randomUUID().slice(0, 8)}`;
  const topic = `tracker.events.${tag}`;
  const liveName = `tracker_${tag.replace('-', '_')}`;
  const catchUpName = `${liveName}_catchup`;
  const total = EVENTS + 1; // and the warm-up event

  installKafkajsMockShim(); // the mock's controller-id quirk; bench/test only
  const kafka = await startKafkaMock({ topics: [{ name: topic, partitions: PARTITIONS }] });
  const { url: databaseUrl, client: database } = await createBenchDatabase(liveName);
  const journalCount = async (client: Client) =>
    Number((await client.query('SELECT count(*) FROM event_journal')).rows[0].count);

  const records = [...eventMix(EVENTS, RUNS, tag)].map((event) => ({
    key: event.subject as string,
    value: JSON.stringify(event),
  }));
  const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(record.value), 0);
  const producer = new KafkaEventLogProducer({
    brokers: kafka.brokers,
    clientId: 'bench',
    topic,
    logLevel: 'nothing',
  });
  const liveGroup = `${tag}-projector`;
  const projectors = [spawnProjector(databaseUrl, kafka.bootstrap, topic, liveGroup)];
  let catchUpDatabase: Client | undefined;

  try {
    // Warm-up: one event through the whole path, so the group join is not timed.
    const warmUp = [...eventMix(1, 1, `${tag}-warmup`)][0];
    await producer.append([{ key: warmUp.subject as string, value: JSON.stringify(warmUp) }]);
    await waitUntilApplied(database, liveGroup, 1);

    // Live, end to end: produce everything (4 appenders, 1,000 records per send) while the
    // projector consumes; stop the clock when the projection has applied every event.
    const started = Date.now();
    let next = 0;
    const appender = async () => {
      while (next < records.length) {
        const slice = records.slice(next, (next += 1000));
        await producer.append(slice);
      }
    };
    await Promise.all([appender(), appender(), appender(), appender()]);
    const produceMs = Date.now() - started;
    const live = await waitUntilApplied(database, liveGroup, total);
    const endToEndMs = live.doneAt - started;
    projectors[0].kill('SIGTERM');
    const journaled = await journalCount(database);
    if (journaled !== total) throw new Error(`journal holds ${journaled} of ${total} events`);
    const rewards = Number((await database.query('SELECT count(*) FROM rewards')).rows[0].count);
    const deadLetters = Number(
      (await database.query('SELECT count(*) FROM dead_letters')).rows[0].count,
    );
    // projected_at is the transaction's start time: distinct values count the transactions.
    const transactions = Number(
      (await database.query('SELECT count(DISTINCT projected_at) FROM event_journal')).rows[0]
        .count,
    );

    // Catch-up: a second projector (new group, empty database) works off the whole topic as a
    // backlog, alone on the machine: the projector's own rate. Timed from its first applied
    // batch, so that start-up and the group join are not counted.
    const catchUp = await createBenchDatabase(catchUpName);
    catchUpDatabase = catchUp.client;
    const catchUpGroup = `${tag}-catch-up`;
    const catchUpProjector = spawnProjector(catchUp.url, kafka.bootstrap, topic, catchUpGroup);
    projectors.push(catchUpProjector);
    const cpuAt: { start?: CpuTimes | null; end?: CpuTimes | null } = {};
    const backlog = await waitUntilApplied(catchUp.client, catchUpGroup, total, () => {
      cpuAt.start = cpuTimes(catchUpProjector.pid!);
    });
    cpuAt.end = cpuTimes(catchUpProjector.pid!);
    const catchUpMs = Math.max(1, backlog.doneAt - backlog.firstSeenAt);
    const catchUpEvents = total - backlog.firstSeen;
    projectors[1].kill('SIGTERM');
    const caughtUp = await journalCount(catchUp.client);
    if (caughtUp !== total)
      throw new Error(`catch-up journal holds ${caughtUp} of ${total} events`);

    // Raw Kafka: the same messages, consumed by kafkajs doing nothing with them.
    const bare = new Kafka({
      brokers: kafka.brokers,
      clientId: 'bench-bare',
      logLevel: logLevel.NOTHING,
    }).consumer({
      groupId: `${tag}-bare`,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: 4 * 1024 * 1024,
      sessionTimeout: 6000,
      heartbeatInterval: 1000,
    });
    await bare.connect();
    await bare.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    let firstAt = 0;
    let lastAt = 0;
    await bare.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        if (firstAt === 0) firstAt = Date.now();
        consumed += batch.messages.length;
        lastAt = Date.now();
      },
    });
    while (consumed < EVENTS + 1) await sleep(20);
    await bare.disconnect();
    const kafkaRawMs = Math.max(1, lastAt - firstAt);

    // Raw Postgres: the same events as journal rows, by COPY into a table shaped like the journal.
    await database.query(`CREATE TABLE copy_limit (LIKE event_journal INCLUDING ALL)`);
    const copyStarted = Date.now();
    const stream = database.query(
      copyFrom(
        `COPY copy_limit (event_id, type, subject, source, event_time, schema_version, envelope, log_topic, log_partition, log_offset, logged_at) FROM STDIN`,
      ),
    );
    const escape = (text: string) =>
      text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    const now = new Date().toISOString();
    for (let index = 0; index < records.length; index++) {
      const event = JSON.parse(records[index].value);
      const line = [
        event.id,
        event.type,
        event.subject,
        event.source,
        event.time,
        '1',
        escape(records[index].value),
        topic,
        '0',
        String(index),
        now,
      ].join('\t');
      if (!stream.write(`${line}\n`)) await new Promise((resolve) => stream.once('drain', resolve));
    }
    await new Promise<void>((resolve, reject) => {
      stream.on('finish', () => resolve());
      stream.on('error', reject);
      stream.end();
    });
    const copyMs = Date.now() - copyStarted;

    const endToEnd = rate(EVENTS, endToEndMs);
    const catchUpRate = rate(catchUpEvents, catchUpMs);
    const kafkaRaw = rate(EVENTS, kafkaRawMs);
    const copyRaw = rate(EVENTS, copyMs);
    const rawLimit = Math.min(kafkaRaw, copyRaw);
    const perEvent = (ms: number) => ((ms * 1000) / catchUpEvents).toFixed(0);
    const { start, end } = cpuAt;
    const cpu =
      start && end
        ? `projector process ${perEvent(end.projector - start.projector)} µs, Postgres ${perEvent(end.postgres - start.postgres)} µs`
        : 'not measured (no /proc)';
    const lines = [
      `bench/ingest: ${EVENTS} events (${(bytes / EVENTS).toFixed(0)} B average, ${rewards} rewards), ${PARTITIONS} partitions, ${RUNS} runs`,
      `  produce (kafkajs, idempotent, acks=-1)      ${rate(EVENTS, produceMs).toString().padStart(8)} events/s  (${produceMs} ms)`,
      `  end to end (produce -> projected, caught up) ${endToEnd.toString().padStart(8)} events/s  (${endToEndMs} ms)`,
      `  catch-up (projector alone, from a backlog)   ${catchUpRate.toString().padStart(8)} events/s  (${catchUpEvents} events in ${catchUpMs} ms)`,
      `  raw limit: kafkajs bare consume            ${kafkaRaw.toString().padStart(8)} events/s  (${kafkaRawMs} ms)`,
      `  raw limit: COPY into a journal-shaped table ${copyRaw.toString().padStart(8)} events/s  (${copyMs} ms)`,
      `  ratio end to end / raw limit (min of both)  ${(endToEnd / rawLimit).toFixed(2)}`,
      `  ratio catch-up / raw limit                  ${(catchUpRate / rawLimit).toFixed(2)}`,
      `  CPU per event during catch-up: ${cpu}`,
      `  projector transactions: ${transactions} (${Math.round(EVENTS / transactions)} events each on average); dead letters: ${deadLetters}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const projector of projectors) projector.kill('SIGKILL');
    await producer.close();
    await database.end();
    await catchUpDatabase?.end();
    for (const name of [liveName, catchUpName]) {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    await kafka.stop();
  }
}

main().catch((error) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
