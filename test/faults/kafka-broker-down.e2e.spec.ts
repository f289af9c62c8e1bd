import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KafkaEventLogProducer } from '@tracker/log';
import {
  createTestDatabase,
  expectEventually,
  installKafkajsMockShim,
  spawnProjectorProcess,
  startKafkaMock,
  type KafkaMock,
  type TestDatabase,
} from '@tracker/testing';
import {
  AcceptedEvents,
  expectProjectionOf,
  journalCount,
  produceContinuously,
  waitForJournal,
} from './support/accepted-events';

// The only Kafka broker goes down while a producer keeps producing (retrying each failed
// append with the same records) and a projector process consumes, then comes back. What the
// producer had accepted must be projected exactly once.
describe('fault: the Kafka broker is unavailable, then back', () => {
  const topic = `tracker.events.broker-down.${randomUUID().slice(0, 8)}`;
  let kafka: KafkaMock;
  let database: TestDatabase;
  let producer: KafkaEventLogProducer;
  let projector: ChildProcess | undefined;
  const accepted = new AcceptedEvents('broker-down-run');

  beforeAll(async () => {
    installKafkajsMockShim();
    kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 4 }] });
    database = await createTestDatabase('fault_broker');
    producer = new KafkaEventLogProducer({
      brokers: kafka.brokers,
      clientId: 'broker-down-test',
      topic,
      logLevel: 'nothing',
      connectionTimeout: 1000,
      // Fail fast while the broker is down, so that the loop below retries often.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }, 60_000);

  afterAll(async () => {
    projector?.kill('SIGKILL');
    await producer?.close();
    await database?.drop();
    await kafka?.stop();
  });

  it('loses and doubles nothing when the broker is down mid-stream', async () => {
    projector = spawnProjectorProcess({
      databaseUrl: database.url,
      kafkaBootstrap: kafka.bootstrap,
      topic,
      groupId: `broker-down-${randomUUID()}`,
    });

    const producing = produceContinuously(producer, accepted);
    try {
      await expectEventually(
        async () => expect(await journalCount(database.pool)).toBeGreaterThan(300),
        30_000,
      );
      await kafka.brokerDown(1);
      const acceptedWhenDown = accepted.ids.size;
      await expectEventually(
        () => expect(producing.failedAppends).toBeGreaterThanOrEqual(2),
        30_000,
      );
      await kafka.brokerUp(1);
      const appendsWhenUp = producing.appends;
      await expectEventually(
        () => expect(producing.appends).toBeGreaterThanOrEqual(appendsWhenUp + 10),
        30_000,
      );
      // The producer had more accepted after the outage, not only before it.
      expect(accepted.ids.size).toBeGreaterThan(acceptedWhenDown);
    } finally {
      await producing.stop();
    }

    await waitForJournal(database.pool, accepted, 60_000, projector);
    await expectProjectionOf(database.pool, accepted);
    expect(projector.exitCode).toBeNull();
  }, 120_000);
});
