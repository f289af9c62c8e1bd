import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
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
  startProjector(databaseUrl: string, options?: ProjectorOptions): ChildProcess;
  /** What a projector started here has said so far. */
  outputOf(projector: ChildProcess): ProjectorOutput;
  /** Kills the projectors, closes the producer, stops the broker. */
  close(): Promise<void>;
}

export interface ProjectorOptions {
  readonly groupId?: string;
  /** 'debug' makes it report each transaction, counted in {@link ProjectorOutput.projected}. */
  readonly logLevel?: 'debug' | 'warn';
}

export interface ProjectorOutput {
  /** Events it reports having projected (debug level only). */
  projected: number;
  /** Times its consumer has joined the group (kafkajs logs it at info level: debug only). */
  joins: number;
  /** What it logged (warnings and errors, its own and kafkajs'), the last MiB. */
  log: string;
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
  const outputs = new Map<ChildProcess, ProjectorOutput>();
  return {
    topic,
    kafka,
    producer,
    startProjector(databaseUrl, options = {}) {
      const projector = spawnProjectorProcess({
        databaseUrl,
        kafkaBootstrap: kafka.bootstrap,
        topic,
        groupId: options.groupId ?? `${name}-${randomUUID()}`,
        logLevel: options.logLevel ?? 'warn',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output: ProjectorOutput = { projected: 0, joins: 0, log: '' };
      const capture = (chunk: Buffer) => {
        output.log = (output.log + chunk.toString('utf8')).slice(-1024 * 1024);
        // FAULTS_DEBUG=1 shows what the projector logs about the faults.
        if (process.env.FAULTS_DEBUG) process.stderr.write(chunk);
      };
      // Debug level: one line per transaction, "N batch(es), M projected, ...".
      eachLine(projector.stdout!, (line) => {
        const match = /batch\(es\), (\d+) projected/.exec(line);
        if (match) output.projected += Number(match[1]);
      });
      eachLine(projector.stderr!, (line) => {
        if (line.includes('Consumer has joined the group')) output.joins++;
      });
      projector.stdout!.on('data', (chunk: Buffer) => {
        if (options.logLevel !== 'debug') capture(chunk);
      });
      projector.stderr!.on('data', capture);
      projectors.push(projector);
      outputs.set(projector, output);
      return projector;
    },
    outputOf(projector) {
      const output = outputs.get(projector);
      if (!output) throw new Error('not a projector of this fixture');
      return output;
    },
    async close() {
      for (const projector of projectors) projector.kill('SIGKILL');
      await producer.close().catch(() => undefined);
      await kafka.stop();
    },
  };
}

function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    lines.forEach(onLine);
  });
}
