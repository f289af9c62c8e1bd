import { Kafka, logLevel as KafkaLogLevels, type logCreator as LogCreator } from 'kafkajs';

/** How much kafkajs logs (to stderr, one JSON object a line). */
export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/** Retry policy of one Kafka operation (kafkajs semantics: exponential back-off). */
export interface KafkaRetryOptions {
  /** Attempts after the first one. */
  readonly retries?: number;
  readonly initialRetryTime?: number;
  readonly maxRetryTime?: number;
}

/** Connection settings shared by the producer, the consumer and the topic helper. */
export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logLevel?: KafkaLogLevel;
  /** Milliseconds to open a TCP connection to a broker (default 3000). */
  readonly connectionTimeout?: number;
  /** Milliseconds to wait for a broker's answer (default 30000). */
  readonly requestTimeout?: number;
  readonly retry?: KafkaRetryOptions;
}

const levels: Record<KafkaLogLevel, KafkaLogLevels> = {
  nothing: KafkaLogLevels.NOTHING,
  error: KafkaLogLevels.ERROR,
  warn: KafkaLogLevels.WARN,
  info: KafkaLogLevels.INFO,
  debug: KafkaLogLevels.DEBUG,
};

// The producer bounds its retries on purpose and replaces its producer id after a failed
// append (see KafkaEventLogProducer), which is what this warning asks for.
const expectedWarnings = ['Limiting retries for the idempotent producer'];

const jsonLines: LogCreator = () => (entry) => {
  const { message, ...extra } = entry.log;
  if (expectedWarnings.some((warning) => message.startsWith(warning))) return;
  process.stderr.write(
    `${JSON.stringify({ level: entry.label, logger: 'kafkajs', namespace: entry.namespace, message, ...extra })}\n`,
  );
};

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    brokers: [...options.brokers],
    clientId: options.clientId,
    logLevel: levels[options.logLevel ?? 'warn'],
    logCreator: jsonLines,
    connectionTimeout: options.connectionTimeout ?? 3000,
    requestTimeout: options.requestTimeout ?? 30000,
    retry: options.retry ? { ...options.retry } : undefined,
  });
}
