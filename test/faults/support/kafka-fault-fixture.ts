import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KafkaEventLogProducer, type KafkaEventLogProducerOptions } from '@tracker/log';
import {
  installKafkajsMockShim,
  spawnProjectorProcess,
  startKafkaMock,
  type KafkaMock,
} from '@tracker/testing';

/** What the Kafka fault specs share: a mock broker with a topic, a producer, projectors. */
export interface KafkaFaultFixture {
  readonly topic: string;
  readonly kafka: KafkaMock;
  readonly producer: KafkaEventLogProducer;
  /** A projector process (built CLI) for `databaseUrl`, in a group of its own unless given. */
  startProjector(databaseUrl: string, groupId?: string): ChildProcess;
  /** Kills the projectors, closes the producer, stops the broker. */
  close(): Promise<void>;
}

export async function startKafkaFaultFixture(
  name: string,
  producerOptions: Partial<KafkaEventLogProducerOptions> = {},
): Promise<KafkaFaultFixture> {
  installKafkajsMockShim(); // test-only: the mock's controller id quirk (see stack notes)
  const topic = `tracker.events.${name}.${randomUUID().slice(0, 8)}`;
  const kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 4 }] });
  const producer = new KafkaEventLogProducer({
    brokers: kafka.brokers,
    clientId: `${name}-test`,
    topic,
    logLevel: 'nothing',
    ...producerOptions,
  });
  const projectors: ChildProcess[] = [];
  return {
    topic,
    kafka,
    producer,
    startProjector(databaseUrl, groupId = `${name}-${randomUUID()}`) {
      const projector = spawnProjectorProcess({
        databaseUrl,
        kafkaBootstrap: kafka.bootstrap,
        topic,
        groupId,
        // FAULTS_DEBUG=1 shows what the projector logs about the faults.
        logLevel: process.env.FAULTS_DEBUG ? 'warn' : 'error',
        stdio: ['ignore', 'ignore', process.env.FAULTS_DEBUG ? 'inherit' : 'ignore'],
      });
      projectors.push(projector);
      return projector;
    },
    async close() {
      for (const projector of projectors) projector.kill('SIGKILL');
      await producer.close().catch(() => undefined);
      await kafka.stop();
    },
  };
}
