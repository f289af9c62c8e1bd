import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '@tracker/config';
import {
  createTestDatabase,
  expectEventually,
  graphql,
  installKafkajsMockShim,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  startKafkaMock,
  toolRegisteredEvent,
  type KafkaMock,
  type TestDatabase,
} from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';

// The whole path through Kafka: a non-JS producer (kcat) and the API's doors feed the topic,
// the projector consumes it in a group, GraphQL answers.
describe('event path through Kafka (librdkafka mock cluster)', () => {
  const topic = `tracker.events.${randomUUID().slice(0, 8)}`;
  let kafka: KafkaMock;
  let database: TestDatabase;
  let tracker: RunningTracker;
  const journalCount = async () =>
    Number((await database.pool.query('SELECT count(*) FROM event_journal')).rows[0].count);

  /** Produces lines `key<TAB>value` with kcat, partitioned like kafkajs (murmur2). */
  function kcat(messages: Array<{ key: string; value: string }>): void {
    const input = messages.map((message) => `${message.key}\t${message.value}`).join('\n') + '\n';
    const result = spawnSync(
      'kcat',
      ['-b', kafka.bootstrap, '-P', '-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'],
      { input },
    );
    if (result.status !== 0) throw new Error(`kcat failed: ${result.stderr.toString()}`);
  }

  beforeAll(async () => {
    installKafkajsMockShim(); // test-only: the mock's controller id quirk (see stack notes)
    kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 4 }] });
    database = await createTestDatabase('kafka_path');
    const config = loadConfig({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafka.bootstrap,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: `group-${randomUUID()}`,
      KAFKA_SESSION_TIMEOUT_MS: '3000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    tracker = await startTracker(config, { api: true, projector: true }, false);
  }, 60_000);

  afterAll(async () => {
    await tracker?.close();
    await database?.drop();
    await kafka?.stop();
  });

  it('projects events a non-JS producer (kcat) wrote to the topic', async () => {
    const tools = Array.from({ length: 20 }, () => toolRegisteredEvent());
    kcat(tools.map((tool) => ({ key: tool.subject, value: JSON.stringify(tool) })));
    await expectEventually(async () => {
      const data = await graphql(
        tracker.url!,
        `
          query ($id: ID!) {
            tool(id: $id) {
              id
              name
              source
            }
          }
        `,
        { id: tools[19].data.toolId },
      );
      expect(data.tool).toEqual({
        id: tools[19].data.toolId,
        name: tools[19].data.name,
        source: 'mcp',
      });
    }, 30_000);
    const partitions = await database.pool.query(
      `SELECT DISTINCT log_partition FROM event_journal WHERE event_id = ANY($1)`,
      [tools.map((tool) => tool.id)],
    );
    expect(partitions.rows.length).toBeGreaterThan(1); // keys spread over the 4 partitions
    // Lag is read against Kafka's partition ends (ListOffsets): all 4 partitions, nothing behind.
    await expectEventually(async () => {
      const data = await graphql(
        tracker.url!,
        `
          {
            projectorStatus {
              logReachable
              totalLag
              partitions {
                partition
              }
            }
          }
        `,
      );
      expect(data.projectorStatus).toEqual({
        logReachable: true,
        totalLag: 0,
        partitions: [0, 1, 2, 3].map((partition) => ({ partition })),
      });
    }, 30_000);
  });

  it('applies an event sent twice once, and dead-letters a poison message without blocking its partition', async () => {
    const rollout = rolloutCompletedEvent();
    const key = rollout.subject;
    kcat([
      { key, value: JSON.stringify(rollout) },
      { key, value: '{"specversion":"1.0", broken' },
      { key, value: JSON.stringify(rollout) },
    ]);
    const after = rewardAssignedEvent({
      rlRunId: rollout.data.rlRunId,
      rolloutId: rollout.data.rolloutId,
    });
    kcat([{ key, value: JSON.stringify(after) }]);
    await expectEventually(async () => {
      const data = await graphql(
        tracker.url!,
        `
          query ($id: ID!) {
            reward(id: $id) {
              id
              rollout {
                id
              }
            }
          }
        `,
        { id: after.data.rewardId },
      );
      expect(data.reward).toEqual({
        id: after.data.rewardId,
        rollout: { id: rollout.data.rolloutId },
      });
    }, 30_000);
    const copies = await database.pool.query(
      `SELECT count(*) FROM event_journal WHERE event_id = $1`,
      [rollout.id],
    );
    expect(copies.rows[0].count).toBe('1');
    const letters = await database.pool.query(
      `SELECT stage, reason, raw FROM dead_letters WHERE log_topic = $1`,
      [topic],
    );
    expect(letters.rows).toHaveLength(1);
    expect(letters.rows[0].stage).toBe('decode');
    expect(letters.rows[0].reason).toMatch(/^event is not valid JSON/);
    expect(letters.rows[0].raw.toString()).toBe('{"specversion":"1.0", broken');
  });

  it('takes events through the GraphQL mutation and HTTP NDJSON, answering each rejected one precisely', async () => {
    const viaGraphQL = rolloutCompletedEvent();
    const invalid = rewardAssignedEvent({ kind: 'self_critic', value: 0.3 });
    const before = await journalCount();
    const result = await graphql(
      tracker.url!,
      `
        mutation ($events: [JSON!]!) {
          recordEvents(events: $events) {
            accepted
            rejected {
              index
              id
              reason
            }
          }
        }
      `,
      { events: [viaGraphQL, invalid] },
    );
    expect(result.recordEvents).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 1,
          id: invalid.id,
          reason: 'data.criticVersionId: is required when data.kind is "self_critic"',
        },
      ],
    });

    const viaHttp = rolloutCompletedEvent();
    const response = await fetch(`${tracker.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(viaHttp)}\n{"oops"\n\n${JSON.stringify({ ...viaHttp, id: 'x'.repeat(129) })}\n`,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      accepted: number;
      rejected: Array<{ index: number; reason: string }>;
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((rejection: { index: number }) => rejection.index)).toEqual([1, 2]);
    expect(body.rejected[1].reason).toBe('id: must NOT have more than 128 characters');

    await expectEventually(async () => expect(await journalCount()).toBe(before + 2), 30_000);
    const journaled = await database.pool.query(
      `SELECT event_id FROM event_journal WHERE event_id = ANY($1) ORDER BY event_id`,
      [[viaGraphQL.id, viaHttp.id, invalid.id]],
    );
    expect(journaled.rows.map((row) => row.event_id).sort()).toEqual(
      [viaGraphQL.id, viaHttp.id].sort(),
    );
  });
});
