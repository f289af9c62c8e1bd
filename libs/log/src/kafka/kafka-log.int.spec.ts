import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import {
  expectEventually,
  installKafkajsMockShim,
  startKafkaMock,
  type KafkaMock,
} from '@tracker/testing';

import {
  LogUnavailableError,
  type BatchHandler,
  type ConsumedBatch,
  type LogRecord,
} from '../event-log.port';
import { KafkaEventLogConsumer, type KafkaEventLogConsumerOptions } from './kafka-consumer.adapter';
import { KafkaEventLogProducer, type KafkaEventLogProducerOptions } from './kafka-producer.adapter';
import { ensureTopic } from './kafka-topic';

// The Kafka adapters against librdkafka's mock cluster (tools/kafka-mock): a fresh mock per
// suite, a unique topic and consumer group per test.

interface Received {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('Kafka log adapters', () => {
  let mock: KafkaMock;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    installKafkajsMockShim();
    mock = await startKafkaMock();
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  async function newTopic(partitions: number): Promise<string> {
    const topic = unique('events');
    await mock.createTopic(topic, partitions);
    return topic;
  }

  function newProducer(
    topic: string,
    options: Partial<KafkaEventLogProducerOptions> = {},
  ): KafkaEventLogProducer {
    const producer = new KafkaEventLogProducer({
      brokers: mock.brokers,
      clientId: unique('producer'),
      topic,
      logLevel: 'error',
      ...options,
    });
    closers.push(() => producer.close());
    return producer;
  }

  async function startConsumer(
    topic: string,
    handler: BatchHandler,
    options: Partial<KafkaEventLogConsumerOptions> = {},
  ): Promise<KafkaEventLogConsumer> {
    const consumer = new KafkaEventLogConsumer({
      brokers: mock.brokers,
      clientId: unique('consumer'),
      topic,
      groupId: unique('group'),
      maxWaitTimeInMs: 100,
      sessionTimeout: 3000,
      heartbeatInterval: 500,
      logLevel: 'error',
      ...options,
    });
    closers.push(() => consumer.stop());
    await consumer.start(handler);
    return consumer;
  }

  /** Collects what arrives; `commit` says whether it then commits each batch as applied. */
  function collector(commit = true): {
    batches: ConsumedBatch[];
    received: Received[];
    handler: BatchHandler;
  } {
    const batches: ConsumedBatch[] = [];
    const received: Received[] = [];
    const handler: BatchHandler = async (batch) => {
      batches.push(batch);
      for (const message of batch.messages) {
        received.push({
          partition: batch.partition,
          offset: Number(message.offset),
          key: message.key,
          value: message.value?.toString('utf8') ?? null,
        });
      }
      if (commit) await batch.commit();
    };
    return { batches, received, handler };
  }

  function records(count: number, subjects: number, from = 0): LogRecord[] {
    return Array.from({ length: count }, (_, index) => {
      const sequence = from + index;
      const key = `rl:${sequence % subjects}`;
      return { key, value: JSON.stringify({ key, sequence }) };
    });
  }

  function partitionsByKey(received: readonly Received[]): Map<string | null, Set<number>> {
    const byKey = new Map<string | null, Set<number>>();
    for (const message of received) {
      const partitions = byKey.get(message.key) ?? new Set<number>();
      partitions.add(message.partition);
      byKey.set(message.key, partitions);
    }
    return byKey;
  }

  it('delivers appended records in batches, each key in one partition, in append order', async () => {
    const topic = await newTopic(4);
    const producer = newProducer(topic);
    const appended = records(1000, 37);
    for (let start = 0; start < appended.length; start += 250) {
      await producer.append(appended.slice(start, start + 250));
    }

    const { batches, received, handler } = collector();
    await startConsumer(topic, handler);
    await expectEventually(() => expect(received).toHaveLength(1000), 30_000);

    // Every record exactly once, with its key and value intact.
    const values = received.map((message) => message.value).sort();
    expect(values).toEqual(appended.map((record) => record.value).sort());
    for (const message of received) {
      expect(JSON.parse(message.value!).key).toBe(message.key);
    }
    // A key lives in one partition, and the keys spread over the partitions.
    const byKey = partitionsByKey(received);
    expect(byKey.size).toBe(37);
    for (const partitions of byKey.values()) expect(partitions.size).toBe(1);
    expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
    // Per partition: offsets 0, 1, 2, ... in delivery order, and per key the append order.
    for (let partition = 0; partition < 4; partition++) {
      const offsets = received.filter((m) => m.partition === partition).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, index) => index));
    }
    for (const key of byKey.keys()) {
      const sequences = received
        .filter((message) => message.key === key)
        .map((message) => JSON.parse(message.value!).sequence as number);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    }
    // Batches, not single messages; the high watermark is past each batch.
    expect(batches.length).toBeLessThan(100);
    for (const batch of batches) {
      const last = Number(batch.messages[batch.messages.length - 1].offset);
      expect(Number(batch.highWatermark)).toBeGreaterThan(last);
      expect(batch.topic).toBe(topic);
    }
  });

  it('puts a key in the same partition when kcat (murmur2) produces it, and consumes those records', async () => {
    const topic = await newTopic(4);
    const keys = Array.from({ length: 40 }, (_, index) => `rollout:${randomUUID()}-${index}`);
    await newProducer(topic).append(keys.map((key) => ({ key, value: `kafkajs ${key}` })));
    await kcatProduce(
      mock.bootstrap,
      topic,
      keys.map((key) => `${key}\tkcat ${key}`),
    );

    const { received, handler } = collector();
    await startConsumer(topic, handler);
    await expectEventually(() => expect(received).toHaveLength(80), 30_000);

    for (const key of keys) {
      const fromKafkajs = received.find((message) => message.value === `kafkajs ${key}`);
      const fromKcat = received.find((message) => message.value === `kcat ${key}`);
      expect(fromKcat?.key).toBe(key);
      expect(fromKcat?.partition).toBe(fromKafkajs?.partition);
    }
    expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
  });

  it('delivers a rejected batch again, from its first message', async () => {
    const topic = await newTopic(1);
    await newProducer(topic).append(records(50, 5));

    const attempts: ConsumedBatch[] = [];
    const { received, handler } = collector();
    await startConsumer(
      topic,
      async (batch) => {
        attempts.push(batch);
        if (attempts.length === 1) throw new Error('database unavailable');
        await handler(batch);
      },
      // The consumer logs the failure it is about to retry: expected here.
      { logLevel: 'nothing' },
    );

    await expectEventually(() => expect(received).toHaveLength(50), 30_000);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[1].messages[0].offset).toBe(attempts[0].messages[0].offset);
    expect(received.map((message) => message.offset)).toEqual(
      Array.from({ length: 50 }, (_, index) => index),
    );
  });

  it('resumes a group after the last committed offset when a new consumer takes over', async () => {
    const topic = await newTopic(2);
    const groupId = unique('group');
    const producer = newProducer(topic);
    await producer.append(records(100, 10));

    const first = collector();
    const firstConsumer = await startConsumer(topic, first.handler, { groupId });
    await expectEventually(() => expect(first.received).toHaveLength(100), 30_000);
    await firstConsumer.stop();

    await producer.append(records(60, 10, 100));
    const second = collector();
    await startConsumer(topic, second.handler, { groupId });
    await expectEventually(() => expect(second.received).toHaveLength(60), 30_000);

    // Only the new records: per partition, the second consumer starts where the first ended.
    const sequences = second.received.map((message) => JSON.parse(message.value!).sequence);
    expect(sequences.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, index) => 100 + index),
    );
    for (const partition of [0, 1]) {
      const firstOffsets = first.received.filter((m) => m.partition === partition);
      const secondOffsets = second.received.filter((m) => m.partition === partition);
      if (secondOffsets.length === 0) continue;
      expect(secondOffsets[0].offset).toBe(firstOffsets.length);
    }
  });

  it('delivers batches that were never committed again to the next consumer of the group', async () => {
    const topic = await newTopic(2);
    const groupId = unique('group');
    const producer = newProducer(topic);
    await producer.append(records(40, 10));

    const uncommitted = collector(false);
    const firstConsumer = await startConsumer(topic, uncommitted.handler, { groupId });
    await expectEventually(() => expect(uncommitted.received).toHaveLength(40), 30_000);
    await firstConsumer.stop();

    const second = collector();
    await startConsumer(topic, second.handler, { groupId });
    await expectEventually(() => expect(second.received).toHaveLength(40), 30_000);
    expect(second.received.map((message) => message.value).sort()).toEqual(
      uncommitted.received.map((message) => message.value).sort(),
    );
  });

  it('ensureTopic reports a refused topic creation instead of throwing; the topic is auto-created', async () => {
    const topic = unique('events');
    // The mock does not implement CreateTopics.
    await expect(
      ensureTopic(mock.brokers, unique('admin'), topic, 2, { logLevel: 'nothing' }),
    ).resolves.toEqual({ outcome: 'failed', reason: expect.stringMatching(/not support/) });

    await newProducer(topic).append(records(20, 20));
    const { received, handler } = collector();
    await startConsumer(topic, handler);
    await expectEventually(() => expect(received).toHaveLength(20), 30_000);
  });
});

describe('Kafka producer adapter with the broker down', () => {
  let mock: KafkaMock;
  let producer: KafkaEventLogProducer | undefined;

  beforeAll(async () => {
    installKafkajsMockShim();
    mock = await startKafkaMock();
  });

  afterEach(async () => {
    await producer?.close();
    await mock.brokerUp(1);
  });

  afterAll(async () => {
    await mock?.stop();
  });

  function newProducer(topic: string): KafkaEventLogProducer {
    producer = new KafkaEventLogProducer({
      brokers: mock.brokers,
      clientId: unique('producer'),
      topic,
      logLevel: 'nothing',
      connectionTimeout: 1000,
      requestTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    return producer;
  }

  async function expectUnavailable(append: Promise<void>): Promise<number> {
    const started = Date.now();
    const error = await append.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(LogUnavailableError);
    expect((error as Error).message).toMatch(/^Kafka /);
    return Date.now() - started;
  }

  it('rejects an append with LogUnavailableError in bounded time, and recovers', async () => {
    const topic = unique('events');
    await mock.createTopic(topic, 2);
    const log = newProducer(topic);
    await log.append(records(5));

    await mock.brokerDown(1);
    expect(await expectUnavailable(log.append(records(5)))).toBeLessThan(20_000);

    await mock.brokerUp(1);
    await expect(log.append(records(5))).resolves.toBeUndefined();
  });

  it('rejects the first append with LogUnavailableError when no broker can be reached', async () => {
    const topic = unique('events');
    await mock.createTopic(topic, 2);
    await mock.brokerDown(1);
    expect(await expectUnavailable(newProducer(topic).append(records(5)))).toBeLessThan(20_000);
  });

  function records(count: number): LogRecord[] {
    return Array.from({ length: count }, (_, index) => ({ key: `k${index}`, value: `v${index}` }));
  }
});

/** Produces `key\tvalue` lines with kcat, partitioning keys with murmur2 like kafkajs. */
function kcatProduce(bootstrap: string, topic: string, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const kcat = spawn(
      'kcat',
      ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    kcat.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    kcat.once('error', reject);
    kcat.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat exited with ${code}: ${stderr}`)),
    );
    kcat.stdin.end(`${lines.join('\n')}\n`);
  });
}
