import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KafkaEventLogProducer } from '@tracker/log';
import {
  createTestDatabase,
  expectEventually,
  installKafkajsMockShim,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  spawnProjectorProcess,
  startKafkaMock,
  type KafkaMock,
  type TestDatabase,
} from '@tracker/testing';

// The projector runs as a child process (the built CLI) and is killed with SIGKILL while it
// holds an open batch transaction, several times; the projection must end up with every
// accepted event exactly once.
describe('projector killed mid-batch', () => {
  const topic = `tracker.events.crash.${randomUUID().slice(0, 8)}`;
  const groupId = `crash-${randomUUID()}`;
  let kafka: KafkaMock;
  let database: TestDatabase;
  let producer: KafkaEventLogProducer;
  let child: ChildProcess | undefined;
  const produced = new Set<string>();
  let expectedRewards = 0;

  function startProjector(): ChildProcess {
    return spawnProjectorProcess({
      databaseUrl: database.url,
      kafkaBootstrap: kafka.bootstrap,
      topic,
      groupId,
      logLevel: process.env.CRASH_DEBUG ? 'warn' : 'error',
      stdio: ['ignore', 'ignore', process.env.CRASH_DEBUG ? 'inherit' : 'ignore'],
    });
  }

  async function produceWave(rollouts: number): Promise<void> {
    const records = [];
    for (let index = 0; index < rollouts; index++) {
      // 16 runs (subjects), so the events spread over the partitions: the mock keeps only
      // ~5 MiB per partition and drops older messages beyond that.
      const rlRunId = `crash-run-${index % 16}`;
      const rollout = rolloutCompletedEvent({ rlRunId, step: index % 50 });
      const reward = rewardAssignedEvent({
        rlRunId,
        rolloutId: rollout.data.rolloutId,
        step: rollout.data.step,
      });
      for (const event of [rollout, reward]) {
        records.push({ key: event.subject, value: JSON.stringify(event) });
        produced.add(event.id);
      }
      expectedRewards++;
      // A retrying producer: every 50th event is sent twice.
      if (index % 50 === 0) records.push({ key: reward.subject, value: JSON.stringify(reward) });
    }
    for (let start = 0; start < records.length; start += 1000)
      await producer.append(records.slice(start, start + 1000));
  }

  const journalCount = async () =>
    Number((await database.pool.query('SELECT count(*) FROM event_journal')).rows[0].count);

  /**
   * Waits until this projector has committed some batches and is inside another batch
   * transaction, then SIGKILLs it.
   */
  async function killMidTransaction(process_: ChildProcess): Promise<void> {
    const before = await journalCount();
    await expectEventually(
      async () => {
        if (process_.exitCode !== null)
          throw new Error(`the projector exited by itself (code ${process_.exitCode})`);
        expect(await journalCount()).toBeGreaterThan(before + 500);
      },
      60_000,
      5,
    );
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (process_.exitCode !== null)
        throw new Error(`the projector exited by itself (code ${process_.exitCode})`);
      const { rows } = await database.pool.query(
        `SELECT count(*) FROM pg_stat_activity
         WHERE datname = $1 AND application_name = 'post-training-tracker' AND xact_start IS NOT NULL`,
        [database.name],
      );
      if (Number(rows[0].count) > 0) {
        process_.kill('SIGKILL');
        await new Promise((resolve) => process_.once('exit', resolve));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error('the projector never opened a transaction');
  }

  beforeAll(async () => {
    installKafkajsMockShim();
    kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 4 }] });
    database = await createTestDatabase('crash');
    producer = new KafkaEventLogProducer({
      brokers: kafka.brokers,
      clientId: 'crash-test',
      topic,
      logLevel: 'nothing',
    });
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await producer?.close();
    await database?.drop();
    await kafka?.stop();
  });

  it('loses nothing and doubles nothing across three SIGKILLs inside batch transactions', async () => {
    for (let round = 0; round < 3; round++) {
      await produceWave(4000);
      child = startProjector();
      await killMidTransaction(child);
    }
    const journaledBeforeRecovery = await journalCount();
    expect(journaledBeforeRecovery).toBeLessThan(produced.size); // the kills did interrupt work

    child = startProjector();
    await expectEventually(
      async () => {
        const { rows } = await database.pool.query('SELECT count(*) FROM event_journal');
        expect(Number(rows[0].count)).toBe(produced.size);
      },
      120_000,
      250,
    );

    const journal = await database.pool.query('SELECT event_id FROM event_journal');
    expect(new Set(journal.rows.map((row) => row.event_id))).toEqual(produced);
    const rewards = await database.pool.query(
      `SELECT count(*) FROM rewards WHERE rl_run_id LIKE 'crash-run-%'`,
    );
    expect(Number(rewards.rows[0].count)).toBe(expectedRewards);
    const rollups = await database.pool.query(
      `SELECT sum(count) AS count FROM reward_rollups WHERE rl_run_id LIKE 'crash-run-%'`,
    );
    expect(Number(rollups.rows[0].count)).toBe(expectedRewards);
    const rollouts = await database.pool.query(
      `SELECT count(*) FROM rollouts WHERE rl_run_id LIKE 'crash-run-%'`,
    );
    expect(Number(rollouts.rows[0].count)).toBe(expectedRewards);
    expect((await database.pool.query('SELECT count(*) FROM dead_letters')).rows[0].count).toBe(
      '0',
    );
    // Every partition's stored offset reached its end.
    const offsets = await database.pool.query(
      `SELECT log_partition, last_offset, high_watermark FROM consumer_offsets WHERE group_id = $1`,
      [groupId],
    );
    for (const row of offsets.rows)
      expect(BigInt(row.last_offset)).toBe(BigInt(row.high_watermark) - 1n);
  }, 300_000);
});
