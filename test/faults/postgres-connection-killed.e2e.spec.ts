import { createTestDatabase, expectEventually, type TestDatabase } from '@tracker/testing';
import {
  AcceptedEvents,
  expectProjectionOf,
  journalCount,
  produceContinuously,
  waitForJournal,
} from './support/accepted-events';
import { startKafkaFaultFixture, type KafkaFaultFixture } from './support/kafka-fault-fixture';

// The application_name the projector's pool sets (libs/read-model open-database.ts).
const PROJECTOR_APPLICATION = 'post-training-tracker';

// While a projector process works through a stream, its Postgres backends are terminated
// again and again in the middle of their work (pg_terminate_backend on any that is not idle,
// i.e. running a statement or inside a transaction). It must roll back, retry and resume.
describe('fault: the projector loses its Postgres connection mid-transaction', () => {
  let fixture: KafkaFaultFixture;
  let database: TestDatabase;
  const accepted = new AcceptedEvents('pg-killed-run');

  beforeAll(async () => {
    fixture = await startKafkaFaultFixture('pg-killed');
    database = await createTestDatabase('fault_pg_killed');
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
    await database?.drop();
  });

  /** Terminates the projector's busy backends once; returns how many it terminated. */
  async function terminateBusyBackends(): Promise<number> {
    const { rows } = await database.pool.query(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE datname = $1 AND application_name = $2 AND state <> 'idle'`,
      [database.name, PROJECTOR_APPLICATION],
    );
    return rows.filter((row) => row.terminated === true).length;
  }

  it('retries and resumes after four terminated backends; nothing lost or doubled', async () => {
    const projector = fixture.startProjector(database.url);
    const producing = produceContinuously(fixture.producer, accepted, 50, 200);
    let kills = 0;
    try {
      while (kills < 4) {
        // Between two kills the projector must have committed more: it resumed.
        const before = await journalCount(database.pool);
        await expectEventually(
          async () => {
            if (projector.exitCode !== null)
              throw new Error(`the projector exited (code ${projector.exitCode})`);
            expect(await journalCount(database.pool)).toBeGreaterThan(before + 200);
          },
          30_000,
          5,
        );
        await expectEventually(
          async () => expect(await terminateBusyBackends()).toBeGreaterThan(0),
          30_000,
          2,
        );
        kills++;
      }
    } finally {
      await producing.stop();
    }

    await waitForJournal(database.pool, accepted, 60_000, projector);
    await expectProjectionOf(database.pool, accepted);
    expect(projector.exitCode).toBeNull();
  }, 120_000);
});
