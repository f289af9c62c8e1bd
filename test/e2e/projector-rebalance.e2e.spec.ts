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

// Two projector processes in one consumer group: a second one joins mid-stream (partitions move
// to it while the first has batches in flight) and later leaves (they move back). Every event
// must be projected exactly once.
describe('projectors rebalancing mid-stream', () => {
  const topic = `tracker.events.rebalance.${randomUUID().slice(0, 8)}`;
  const groupId = `rebalance-${randomUUID()}`;
  let kafka: KafkaMock;
  let database: TestDatabase;
  let producer: KafkaEventLogProducer;
  const children: ChildProcess[] = [];
  const produced = new Set<string>();
  let rewards = 0;

  const journalCount = async () =>
    Number((await database.pool.query('SELECT count(*) FROM event_journal')).rows[0].count);

  /** Starts a projector process; `projected.count` adds up what it reports having applied. */
  function startProjector(projected: { count: number }): ChildProcess {
    const child = spawnProjectorProcess({
      databaseUrl: database.url,
      kafkaBootstrap: kafka.bootstrap,
      topic,
      groupId,
      logLevel: 'debug', // the projector logs each transaction: "N batch(es), M projected, ..."
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /batch\(es\), (\d+) projected/.exec(line);
        if (match) projected.count += Number(match[1]);
      }
    });
    children.push(child);
    return child;
  }

  async function produceWave(rollouts: number): Promise<void> {
    const records = [];
    for (let index = 0; index < rollouts; index++) {
      const rlRunId = `rebalance-run-${index % 32}`;
      const rollout = rolloutCompletedEvent({ rlRunId, step: index % 20 });
      const reward = rewardAssignedEvent({
        rlRunId,
        rolloutId: rollout.data.rolloutId,
        step: rollout.data.step,
      });
      for (const event of [rollout, reward]) {
        records.push({ key: event.subject, value: JSON.stringify(event) });
        produced.add(event.id);
      }
      rewards++;
    }
    for (let start = 0; start < records.length; start += 1000)
      await producer.append(records.slice(start, start + 1000));
  }

  beforeAll(async () => {
    installKafkajsMockShim();
    kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 8 }] });
    database = await createTestDatabase('rebalance');
    producer = new KafkaEventLogProducer({
      brokers: kafka.brokers,
      clientId: 'rebalance-test',
      topic,
      logLevel: 'nothing',
    });
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await producer?.close();
    await database?.drop();
    await kafka?.stop();
  });

  it('applies every event once while a second projector joins and leaves', async () => {
    const byFirst = { count: 0 };
    const bySecond = { count: 0 };
    const first = startProjector(byFirst);
    await produceWave(2000);
    await expectEventually(async () => expect(byFirst.count).toBeGreaterThan(0), 60_000, 20);

    // The second joins: the group rebalances and partitions move to it; waves keep coming
    // until it has applied some of them itself.
    const second = startProjector(bySecond);
    await expectEventually(
      async () => {
        await produceWave(300);
        expect(bySecond.count).toBeGreaterThan(0);
      },
      60_000,
      200,
    );

    // It leaves (SIGTERM, clean shutdown): its partitions go back to the first.
    const exited = new Promise((resolve) => second.once('exit', resolve));
    second.kill('SIGTERM');
    await exited;
    const firstBefore = byFirst.count;
    await produceWave(2000);
    await expectEventually(
      async () => expect(byFirst.count).toBeGreaterThan(firstBefore),
      60_000,
      50,
    );

    await expectEventually(
      async () => expect(await journalCount()).toBe(produced.size),
      120_000,
      250,
    );
    expect(first.exitCode).toBeNull();
    expect(byFirst.count + bySecond.count).toBe(produced.size);
    const journal = await database.pool.query('SELECT event_id FROM event_journal');
    expect(new Set(journal.rows.map((row) => row.event_id))).toEqual(produced);
    const counts = await database.pool.query(
      `SELECT (SELECT count(*) FROM rewards) AS rewards, (SELECT count(*) FROM rollouts) AS rollouts,
              (SELECT sum(count) FROM reward_rollups) AS rolled_up, (SELECT count(*) FROM dead_letters) AS dead`,
    );
    expect(counts.rows[0]).toEqual({
      rewards: String(rewards),
      rollouts: String(rewards),
      rolled_up: String(rewards),
      dead: '0',
    });
  }, 300_000);
});
