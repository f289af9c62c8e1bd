import type { Pool } from 'pg';
import { EMBEDDED_TOPIC, EmbeddedEventLogConsumer } from './embedded/embedded-log.consumer';
import { EmbeddedEventLogProducer } from './embedded/embedded-log.producer';
import type { EventLogConsumer, EventLogProducer, PartitionEnds } from './event-log.port';
import type { KafkaLogLevel } from './kafka/kafka-client';
import { KafkaEventLogConsumer } from './kafka/kafka-consumer.adapter';
import { KafkaEndOffsets } from './kafka/kafka-end-offsets';
import { KafkaEventLogProducer } from './kafka/kafka-producer.adapter';
import { ensureTopic } from './kafka/kafka-topic';

export interface EventLogSettings {
  /** Empty: the embedded log (a table in the tracker's own Postgres). */
  kafkaBrokers: readonly string[];
  kafkaTopic: string;
  kafkaClientId: string;
  kafkaGroupId: string;
  kafkaSessionTimeoutMs: number;
  kafkaHeartbeatIntervalMs: number;
  projectorBatchSize: number;
  projectorPartitionConcurrency: number;
  projectorMaxWaitMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface ConsumerListeners {
  /** A batch failed and will be retried (logged by the caller). */
  onRetry?: (error: unknown) => void;
  /** The consumer stopped for good (a non-retriable failure): the caller should start a new one. */
  onStopped?: (error: unknown) => void;
}

/** The log the tracker runs on: which adapter, its producer, and consumers for projectors. */
export interface EventLog {
  readonly kind: 'kafka' | 'embedded';
  /** For start-up messages, e.g. `Kafka topic tracker.events at 127.0.0.1:9092`. */
  readonly description: string;
  readonly producer: EventLogProducer;
  createConsumer(listeners?: ConsumerListeners): EventLogConsumer;
  /** The current ends of every partition (for lag); rejects when the log is unreachable. */
  endOffsets(): Promise<PartitionEnds[]>;
  close(): Promise<void>;
}

const kafkaLogLevel = (level: EventLogSettings['logLevel']): KafkaLogLevel =>
  level === 'info' ? 'warn' : level;

/** Picks the adapter: Kafka when brokers are configured, the embedded log otherwise. */
export async function createEventLog(settings: EventLogSettings, pool: Pool): Promise<EventLog> {
  if (settings.kafkaBrokers.length === 0) {
    const consumers = new Set<EmbeddedEventLogConsumer>();
    const producer = new EmbeddedEventLogProducer(pool, () =>
      consumers.forEach((consumer) => consumer.notify()),
    );
    return {
      kind: 'embedded',
      description: 'embedded log (Postgres table embedded_log)',
      producer,
      createConsumer(listeners = {}) {
        // The embedded consumer retries every failure itself and never stops on its own.
        const consumer = new EmbeddedEventLogConsumer(pool, {
          groupId: settings.kafkaGroupId,
          batchSize: settings.projectorBatchSize,
          pollIntervalMs: Math.max(settings.projectorMaxWaitMs, 50),
          onError: listeners.onRetry,
        });
        consumers.add(consumer);
        return consumer;
      },
      async endOffsets() {
        // Positions start at 1; an empty log has no rows yet.
        const { rows } = await pool.query<{ low: string; high: string }>(
          `SELECT coalesce(min(position), 1) AS low, coalesce(max(position), 0) + 1 AS high FROM embedded_log`,
        );
        return [
          {
            topic: EMBEDDED_TOPIC,
            partition: 0,
            lowWatermark: rows[0].low,
            highWatermark: rows[0].high,
          },
        ];
      },
      async close() {
        await producer.close();
      },
    };
  }
  const client = {
    brokers: settings.kafkaBrokers,
    clientId: settings.kafkaClientId,
    logLevel: kafkaLogLevel(settings.logLevel),
  };
  // Real clusters should have the topic already (created with the partitions you want);
  // this only helps a development broker that allows topic creation.
  await ensureTopic(client.brokers, client.clientId, settings.kafkaTopic, 6, {
    logLevel: client.logLevel,
  });
  const producer = new KafkaEventLogProducer({ ...client, topic: settings.kafkaTopic });
  const ends = new KafkaEndOffsets({ ...client, topic: settings.kafkaTopic });
  return {
    kind: 'kafka',
    description: `Kafka topic ${settings.kafkaTopic} at ${settings.kafkaBrokers.join(',')}`,
    producer,
    createConsumer(listeners = {}) {
      // kafkajs retries retriable failures itself (and restarts); onCrash means it gave up.
      return new KafkaEventLogConsumer({
        ...client,
        topic: settings.kafkaTopic,
        groupId: settings.kafkaGroupId,
        maxWaitTimeInMs: settings.projectorMaxWaitMs,
        sessionTimeout: settings.kafkaSessionTimeoutMs,
        heartbeatInterval: settings.kafkaHeartbeatIntervalMs,
        partitionsConsumedConcurrently: settings.projectorPartitionConcurrency,
        onCrash: (error) => listeners.onStopped?.(error),
      });
    },
    endOffsets: () => ends.read(),
    async close() {
      await Promise.all([producer.close(), ends.close()]);
    },
  };
}
