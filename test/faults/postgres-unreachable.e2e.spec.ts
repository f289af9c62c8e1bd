import { loadConfig } from '@tracker/config';
import {
  ADMIN_URL,
  createTestDatabase,
  expectEventually,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';
import {
  AcceptedEvents,
  expectProjectionOf,
  journalCount,
  produceContinuously,
  waitForJournal,
} from './support/accepted-events';
import { startKafkaFaultFixture, type KafkaFaultFixture } from './support/kafka-fault-fixture';

/** A TCP proxy to the machine's Postgres, and the URL of `database` through it. */
async function proxiedDatabase(database: TestDatabase): Promise<{ proxy: TcpProxy; url: string }> {
  const admin = new URL(ADMIN_URL);
  const proxy = await startTcpProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
  const url = new URL(database.url);
  url.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: url.toString() };
}

// Postgres becomes unreachable for a while (every connection through the proxy is cut and new
// ones are refused), then comes back.
describe('fault: Postgres unreachable, then back', () => {
  describe('a projector process on Kafka', () => {
    let fixture: KafkaFaultFixture;
    let database: TestDatabase;
    let proxy: TcpProxy;
    let proxiedUrl: string;
    const accepted = new AcceptedEvents('pg-cut-run');

    beforeAll(async () => {
      fixture = await startKafkaFaultFixture('pg-cut');
      database = await createTestDatabase('fault_pg_cut');
      ({ proxy, url: proxiedUrl } = await proxiedDatabase(database));
    }, 60_000);

    afterAll(async () => {
      await fixture?.close();
      await proxy?.close();
      await database?.drop();
    });

    it('retries until Postgres is back and resumes; nothing lost or doubled', async () => {
      const projector = fixture.startProjector(proxiedUrl);
      const producing = produceContinuously(fixture.producer, accepted, 50, 200);
      try {
        await expectEventually(
          async () => expect(await journalCount(database.pool)).toBeGreaterThan(300),
          30_000,
        );
        proxy.cut();
        // Cut until the projector has tried to reconnect a few times (and been refused),
        // waiting longer each time: 250 ms, then twice as long per failure in a row.
        await expectEventually(() => expect(proxy.refused).toBeGreaterThanOrEqual(3), 30_000);
        const restartDelays = () =>
          [...fixture.outputOf(projector).log.matchAll(/from the stored offsets in (\d+) ms/g)].map(
            (match) => Number(match[1]),
          );
        await expectEventually(
          () => expect(restartDelays().length).toBeGreaterThanOrEqual(3),
          45_000,
        );
        expect(restartDelays().slice(0, 3)).toEqual([250, 500, 1000]);
        const journaledWhileCut = await journalCount(database.pool);
        const acceptedWhileCut = accepted.ids.size;
        expect(projector.exitCode).toBeNull();
        proxy.restore();
        // It resumes by itself, and catches up with what was produced during the cut.
        await expectEventually(
          async () =>
            expect(await journalCount(database.pool)).toBeGreaterThan(
              Math.max(journaledWhileCut, acceptedWhileCut),
            ),
          60_000,
          100,
        );
      } finally {
        await producing.stop();
      }

      await waitForJournal(database.pool, accepted, 60_000, projector);
      await expectProjectionOf(database.pool, accepted);
      expect(projector.exitCode).toBeNull();
    }, 120_000);
  });

  describe('POST /v1/events on the embedded log (a Postgres table)', () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let tracker: RunningTracker | undefined;
    const accepted = new AcceptedEvents('pg-cut-ingest-run');

    beforeAll(async () => {
      database = await createTestDatabase('fault_pg_cut_ingest');
      const proxied = await proxiedDatabase(database);
      proxy = proxied.proxy;
      // No KAFKA_BROKERS: the log is the embedded_log table, behind the proxy like the rest.
      const config = loadConfig({ DATABASE_URL: proxied.url, PORT: '0', LOG_LEVEL: 'error' });
      tracker = await startTracker(config, { api: true, projector: true });
    }, 60_000);

    afterAll(async () => {
      await tracker?.close();
      await proxy?.close();
      await database?.drop();
    });

    const post = (body: unknown) =>
      fetch(`${tracker!.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('answers 503 while Postgres is unreachable, stores nothing of it, accepts again after', async () => {
      const before = accepted.makePairs(20);
      const response = await post(before.flatMap((pair) => pair.events));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: 40, rejected: [] });
      accepted.accept(before);

      proxy.cut();
      const during = accepted.makePairs(20);
      const refused = await post(during.flatMap((pair) => pair.events));
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { message: string }).message).toMatch(
        /^events not accepted, the log is unavailable: embedded log: /,
      );

      proxy.restore();
      // The pool reconnects on the next request: the same events are accepted now.
      const after = accepted.makePairs(20);
      await expectEventually(async () => {
        const retried = await post(after.flatMap((pair) => pair.events));
        expect(retried.status).toBe(200);
      }, 30_000);
      accepted.accept(after);

      // The refused events were never stored: the projection holds exactly the accepted ones.
      await waitForJournal(database.pool, accepted, 30_000);
      await expectProjectionOf(database.pool, accepted);
    }, 60_000);

    it('answers 503 when its connection dies inside the append transaction, and goes on', async () => {
      // The test holds the append lock, so the append waits inside its transaction: its
      // backend is terminated there.
      const lock = await database.pool.connect();
      let response: Promise<Response> | undefined;
      const during = accepted.makePairs(5);
      try {
        await lock.query('SELECT pg_advisory_lock(7362001)');
        response = post(during.flatMap((pair) => pair.events));
        await expectEventually(async () => {
          const { rows } = await database.pool.query(
            `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
             WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%pg_advisory_xact_lock%'`,
            [database.name],
          );
          expect(rows).toEqual([{ terminated: true }]);
        });
        const refused = await response;
        expect(refused.status).toBe(503);
        expect(((await refused.json()) as { message: string }).message).toMatch(
          /^events not accepted, the log is unavailable: embedded log: append failed/,
        );
      } finally {
        await lock.query('SELECT pg_advisory_unlock(7362001)');
        lock.release();
        await response?.catch(() => undefined);
      }

      const after = accepted.makePairs(5);
      const retried = await post(after.flatMap((pair) => pair.events));
      expect(retried.status).toBe(200);
      accepted.accept(after);
      await waitForJournal(database.pool, accepted, 30_000);
      await expectProjectionOf(database.pool, accepted);
    }, 60_000);
  });
});
