import { createTestDatabase, expectEventually, type TestDatabase } from '@tracker/testing';
import {
  AcceptedEvents,
  expectProjectionOf,
  journalCount,
  produceContinuously,
  waitForJournal,
} from './support/accepted-events';
import { startKafkaFaultFixture, type KafkaFaultFixture } from './support/kafka-fault-fixture';

// The only Kafka broker goes down while a producer keeps producing (retrying each failed
// append with the same records) and a projector process consumes, then comes back. What the
// producer had accepted must be projected exactly once.
describe('fault: the Kafka broker is unavailable, then back', () => {
  let fixture: KafkaFaultFixture;
  let database: TestDatabase;
  const accepted = new AcceptedEvents('broker-down-run');

  beforeAll(async () => {
    fixture = await startKafkaFaultFixture('broker-down', {
      connectionTimeout: 1000,
      // Fail fast while the broker is down, so that the loop below retries often.
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    database = await createTestDatabase('fault_broker');
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
    await database?.drop();
  });

  it('loses and doubles nothing when the broker is down mid-stream', async () => {
    const { kafka, producer } = fixture;
    const projector = fixture.startProjector(database.url);

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
