import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** A running librdkafka mock cluster (tools/kafka-mock), one per test suite. */
export interface KafkaMock {
  /** Bootstrap servers, `127.0.0.1:port,...`. */
  readonly bootstrap: string;
  /** The same, split: the `brokers` option of a Kafka client. */
  readonly brokers: string[];
  /** Disconnects broker `id` (from 1) and refuses new connections; no leader change. */
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  /**
   * The next `count` requests of `apiKey`, from any client, are answered with error `code`
   * without being processed (rd_kafka_mock_push_request_errors).
   */
  failRequests(apiKey: KafkaApiKey, count: number, code: KafkaErrorCode): Promise<void>;
  createTopic(name: string, partitions: number): Promise<void>;
  stop(): Promise<void>;
}

/** Kafka protocol API keys of the requests {@link KafkaMock.failRequests} can fail. */
export const KafkaApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  InitProducerId: 22,
} as const;
export type KafkaApiKey = (typeof KafkaApiKey)[keyof typeof KafkaApiKey];

/** Kafka protocol error codes, with whether a client may retry them (per the protocol). */
export const KafkaErrorCode = {
  /** Retriable. */
  NotLeaderOrFollower: 6,
  /** Retriable. */
  RequestTimedOut: 7,
  /** Not retriable: the records are refused. */
  MessageTooLarge: 10,
  /** Retriable. */
  CoordinatorLoadInProgress: 14,
  /** Retriable. */
  CoordinatorNotAvailable: 15,
  /** Retriable: find the coordinator again. */
  NotCoordinator: 16,
  /** Retriable: the request was not applied, the broker is short of replicas. */
  NotEnoughReplicas: 19,
  /** The member must rejoin the group. */
  UnknownMemberId: 25,
  /** The member must rejoin the group. */
  RebalanceInProgress: 27,
  /** Not retriable: the records are refused. */
  InvalidRecord: 87,
} as const;
export type KafkaErrorCode = (typeof KafkaErrorCode)[keyof typeof KafkaErrorCode];

export interface KafkaMockOptions {
  readonly topics?: readonly { readonly name: string; readonly partitions: number }[];
  /** Number of brokers, numbered from 1 (default 1). */
  readonly brokers?: number;
}

// The repo root, from the source (libs/testing/src) or the build (dist/libs/testing/src).
const root = ((): string => {
  let directory = resolve(__dirname, '../../..');
  if (!existsSync(join(directory, 'tools/kafka-mock/build.sh')))
    directory = resolve(directory, '..');
  return directory;
})();
const buildScript = join(root, 'tools/kafka-mock/build.sh');
const binary = join(root, 'tools/kafka-mock/kafka-mock');

/** Builds the mock if needed (gcc + librdkafka-dev), starts it and waits for its address. */
export async function startKafkaMock(options: KafkaMockOptions = {}): Promise<KafkaMock> {
  const build = spawnSync('bash', [buildScript], { encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(binary)) {
    throw new Error(`building the Kafka mock failed: ${build.stderr || build.error?.message}`);
  }
  const args = [
    '--die-with-parent',
    String(options.brokers ?? 1),
    ...(options.topics ?? []).map((topic) => `${topic.name}:${topic.partitions}`),
  ];
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  return new KafkaMockProcess(child).started();
}

class KafkaMockProcess implements KafkaMock {
  bootstrap = '';
  brokers: string[] = [];
  private readonly lines: string[] = [];
  private readonly waiting: ((line: string | undefined) => void)[] = [];
  private commands: Promise<unknown> = Promise.resolve();
  private stderr = '';
  private readonly exited: Promise<void>;
  private hasExited = false;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    // A dead mock must not leave writes failing with an unhandled EPIPE.
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolveExit) => {
      const onExit = () => {
        this.hasExited = true;
        for (const waiter of this.waiting.splice(0)) waiter(undefined);
        resolveExit();
      };
      child.once('exit', onExit);
      child.once('error', (error) => {
        this.stderr += String(error);
        onExit();
      });
    });
  }

  async started(): Promise<this> {
    const line = await this.nextLine(10_000);
    if (!line) {
      await this.stop();
      throw new Error(`the Kafka mock did not start: ${this.stderr.trim() || 'no output'}`);
    }
    // Clients must reach the brokers over IPv4 whatever the resolver says about localhost.
    this.brokers = line.split(',').map((server) => server.replace(/^localhost:/, '127.0.0.1:'));
    this.bootstrap = this.brokers.join(',');
    return this;
  }

  brokerDown(id: number): Promise<void> {
    return this.command(`down ${id}`);
  }

  brokerUp(id: number): Promise<void> {
    return this.command(`up ${id}`);
  }

  failRequests(apiKey: KafkaApiKey, count: number, code: KafkaErrorCode): Promise<void> {
    return this.command(`errors ${apiKey} ${count} ${code}`);
  }

  createTopic(name: string, partitions: number): Promise<void> {
    return this.command(`topic ${name} ${partitions}`);
  }

  async stop(): Promise<void> {
    if (!this.hasExited) {
      this.child.stdin.end();
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(killer);
    }
  }

  // Commands run one at a time: each answer line belongs to the command before it.
  private command(command: string): Promise<void> {
    const run = this.commands.then(async () => {
      if (this.hasExited) throw new Error(`the Kafka mock has exited; cannot run "${command}"`);
      this.child.stdin.write(`${command}\n`);
      const answer = await this.nextLine(10_000);
      if (answer !== 'ok') {
        throw new Error(`Kafka mock: "${command}" failed: ${answer ?? 'no answer'}`);
      }
    });
    this.commands = run.catch(() => undefined);
    return run;
  }

  private nextLine(timeoutMs: number): Promise<string | undefined> {
    const buffered = this.lines.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.hasExited) return Promise.resolve(undefined);
    return new Promise((resolveLine) => {
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(done);
        if (index >= 0) this.waiting.splice(index, 1);
        resolveLine(undefined);
      }, timeoutMs);
      const done = (line: string | undefined) => {
        clearTimeout(timer);
        resolveLine(line);
      };
      this.waiting.push(done);
    });
  }
}
