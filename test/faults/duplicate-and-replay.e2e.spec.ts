import { createTestDatabase, type TestDatabase } from '@tracker/testing';
import type { Pool } from 'pg';
import {
  AcceptedEvents,
  expectProjectionOf,
  recordsOf,
  waitForJournal,
} from './support/accepted-events';
import { startKafkaFaultFixture, type KafkaFaultFixture } from './support/kafka-fault-fixture';

// Positions are assigned at commit and interleave differently from run to run (lanes commit
// concurrently); everything else must be the same.
const SNAPSHOT = {
  journal: `SELECT event_id, type, subject, envelope, log_topic, log_partition, log_offset
            FROM event_journal ORDER BY event_id`,
  rewards: `SELECT to_jsonb(r) - 'position' AS row FROM rewards r ORDER BY reward_id`,
  rollouts: `SELECT to_jsonb(r) - 'position' AS row FROM rollouts r ORDER BY rollout_id`,
  rewardRollups: `SELECT to_jsonb(u) AS row FROM reward_rollups u
                  ORDER BY rl_run_id, domain, kind, step, verifier_name, verifier_version`,
  lineageEdges: `SELECT src, relation, dst FROM lineage_edges ORDER BY src, relation, dst`,
  rlRuns: `SELECT to_jsonb(r) - 'position' AS row FROM rl_runs r ORDER BY rl_run_id`,
};

async function projectionSnapshot(pool: Pool): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(SNAPSHOT)) snapshot[name] = (await pool.query(sql)).rows;
  return snapshot;
}

// A retrying producer sends every record twice (two appends of the same records, as after a
// send that failed but had been written). One projector group projects the topic; a second
// group then replays it from offset 0 into a fresh database. Both projections hold each
// accepted event once, and are identical.
describe('fault: every event produced twice, then the topic replayed by a new group', () => {
  let fixture: KafkaFaultFixture;
  let first: TestDatabase;
  let replayed: TestDatabase;
  const accepted = new AcceptedEvents('twice-run');

  beforeAll(async () => {
    fixture = await startKafkaFaultFixture('twice');
    first = await createTestDatabase('fault_twice');
    replayed = await createTestDatabase('fault_twice_replay');
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
    await first?.drop();
    await replayed?.drop();
  });

  it('projects each event once, and a replay from offset 0 gives the identical projection', async () => {
    const { producer } = fixture;
    const firstProjector = fixture.startProjector(first.url);
    for (let wave = 0; wave < 4; wave++) {
      const pairs = accepted.makePairs(500);
      await producer.append(recordsOf(pairs));
      await producer.append(recordsOf(pairs)); // the retry: the same records again
      accepted.accept(pairs);
    }
    await waitForJournal(first.pool, accepted, 60_000, firstProjector);
    await expectProjectionOf(first.pool, accepted);
    // The log did hold every record twice: the group read that many messages.
    const consumed = await first.pool.query(
      'SELECT sum(high_watermark) AS messages FROM consumer_offsets',
    );
    expect(Number(consumed.rows[0].messages)).toBe(2 * accepted.ids.size);

    const replayer = fixture.startProjector(replayed.url);
    await waitForJournal(replayed.pool, accepted, 60_000, replayer);
    await expectProjectionOf(replayed.pool, accepted);

    const original = await projectionSnapshot(first.pool);
    expect(original.journal).toHaveLength(accepted.ids.size);
    expect(original.rewards).toHaveLength(accepted.ids.size / 2);
    expect(await projectionSnapshot(replayed.pool)).toEqual(original);
    expect(firstProjector.exitCode).toBeNull();
    expect(replayer.exitCode).toBeNull();
  }, 120_000);
});
