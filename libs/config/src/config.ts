import { resolve } from 'node:path';

/** Everything the tracker reads from its environment, parsed once. */
export interface TrackerConfig {
  /** Postgres URL; absent means embedded Postgres (PGlite) under `dataDir`. */
  databaseUrl: string | undefined;
  /** Where the embedded Postgres keeps its files. */
  dataDir: string;
  /** Kafka bootstrap brokers; empty means the embedded log (a Postgres table). */
  kafkaBrokers: string[];
  kafkaTopic: string;
  kafkaGroupId: string;
  kafkaClientId: string;
  /** Consumer group session timeout and heartbeat, ms (short in tests: rebalances wait on them). */
  kafkaSessionTimeoutMs: number;
  kafkaHeartbeatIntervalMs: number;
  host: string;
  port: number;
  /** Max events the projector applies in one transaction. */
  projectorBatchSize: number;
  /** Projector transactions in flight at once, each on its own connection (1 with PGlite). */
  projectorLanes: number;
  /** Kafka partitions consumed at once; their batches share transactions (group commit). */
  projectorPartitionConcurrency: number;
  /** Max wait of a Kafka fetch / poll of the embedded log, in ms. */
  projectorMaxWaitMs: number;
  /** Largest HTTP ingest body, in bytes. */
  ingestMaxBodyBytes: number;
  /** Most events one ingest request (HTTP or recordEvents) may carry. */
  ingestMaxEvents: number;
  /** Deepest field nesting a GraphQL operation may have (fragments expanded). */
  graphqlMaxDepth: number;
  /** Most aliased fields in one GraphQL operation (alias bombing). */
  graphqlMaxAliases: number;
  /** Highest static cost of a GraphQL operation: fields, times the page sizes they sit under. */
  graphqlMaxCost: number;
  /** Time budget of one lineage walk or path search, ms: it answers what it found by then. */
  lineageTimeoutMs: number;
  /** Whether the schema answers introspection; off by default when NODE_ENV=production. */
  graphqlIntrospection: boolean;
  /** Events one API key may ingest per second, sustained (token bucket; 429 past it). */
  ingestKeyEventsPerSecond: number;
  /** Events one API key may send at once above that rate (the bucket's size). */
  ingestKeyBurstEvents: number;
  /** graphql-ws connections one API key may hold open at once. */
  subscriptionConnectionsPerKey: number;
  /** Projects events may belong to (PROJECTOR_ALLOWED_PROJECTS); null: any project. */
  projectorAllowedProjects: string[] | null;
  /** Events (or results) that may wait for one slow subscriber before it is cut off. */
  liveSubscriberBuffer: number;
  /** How often the API reads the journal's last position besides LISTEN (PGlite: the only way). */
  livePollMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment (or `env`) into a typed config and fails listing every bad key.
 * The only place that reads process.env; tests pass their own `env` and `overrides`.
 */
export function loadConfig(
  env: Env = process.env,
  overrides: Partial<TrackerConfig> = {},
): TrackerConfig {
  const problems: string[] = [];
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key}=${JSON.stringify(raw)}: must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const text = (key: string, fallback: string): string => {
    const raw = env[key];
    return raw === undefined || raw.trim() === '' ? fallback : raw.trim();
  };

  const flag = (key: string, fallback: boolean): boolean => {
    const raw = text(key, '').toLowerCase();
    if (raw === '') return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${key}=${JSON.stringify(env[key])}: must be true or false`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL: must start with postgres:// or postgresql://`);
  }
  const kafkaBrokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  for (const broker of kafkaBrokers) {
    if (!/^[^\s:]+:\d+$/.test(broker)) problems.push(`KAFKA_BROKERS: "${broker}" is not host:port`);
  }
  const logLevel = text('LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`LOG_LEVEL=${logLevel}: must be one of debug, info, warn, error`);
  }

  const ingestMaxEvents = int('INGEST_MAX_EVENTS', 10_000, 1, 1_000_000);
  const ingestKeyEventsPerSecond = int('INGEST_KEY_EVENTS_PER_SECOND', 20_000, 1, 100_000_000);
  const allowedProjects = (env.PROJECTOR_ALLOWED_PROJECTS ?? '')
    .split(',')
    .map((project) => project.trim())
    .filter(Boolean);
  const projectorAllowedProjects = allowedProjects.length > 0 ? allowedProjects : null;

  const config: TrackerConfig = {
    databaseUrl,
    dataDir: resolve(text('TRACKER_DATA_DIR', '.tracker-data')),
    kafkaBrokers,
    kafkaTopic: text('KAFKA_TOPIC', 'tracker.events'),
    kafkaGroupId: text('KAFKA_GROUP_ID', 'tracker-projector'),
    kafkaClientId: text('KAFKA_CLIENT_ID', 'post-training-tracker'),
    kafkaSessionTimeoutMs: int('KAFKA_SESSION_TIMEOUT_MS', 30000, 1000, 600000),
    kafkaHeartbeatIntervalMs: int('KAFKA_HEARTBEAT_INTERVAL_MS', 3000, 100, 60000),
    host: text('HOST', '127.0.0.1'),
    port: int('PORT', 4000, 0, 65535),
    projectorBatchSize: int('PROJECTOR_BATCH_SIZE', 2000, 1, 100000),
    projectorLanes: int('PROJECTOR_LANES', 4, 1, 16),
    projectorPartitionConcurrency: int('PROJECTOR_PARTITION_CONCURRENCY', 64, 1, 1024),
    projectorMaxWaitMs: int('PROJECTOR_MAX_WAIT_MS', 100, 1, 60000),
    ingestMaxBodyBytes: int('INGEST_MAX_BODY_BYTES', 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    ingestMaxEvents,
    graphqlMaxDepth: int('GRAPHQL_MAX_DEPTH', 15, 1, 1000),
    graphqlMaxAliases: int('GRAPHQL_MAX_ALIASES', 50, 0, 100_000),
    graphqlMaxCost: int('GRAPHQL_MAX_COST', 200_000, 1, 1_000_000_000),
    lineageTimeoutMs: int('LINEAGE_TIMEOUT_MS', 10_000, 1, 600_000),
    graphqlIntrospection: flag('GRAPHQL_INTROSPECTION', text('NODE_ENV', '') !== 'production'),
    ingestKeyEventsPerSecond,
    ingestKeyBurstEvents: int(
      'INGEST_KEY_BURST_EVENTS',
      Math.max(2 * ingestKeyEventsPerSecond, ingestMaxEvents),
      1,
      1_000_000_000,
    ),
    subscriptionConnectionsPerKey: int('SUBSCRIPTION_CONNECTIONS_PER_KEY', 100, 1, 1_000_000),
    projectorAllowedProjects,
    liveSubscriberBuffer: int('LIVE_SUBSCRIBER_BUFFER', 10000, 1, 1000000),
    livePollMs: int('LIVE_POLL_MS', databaseUrl ? 1000 : 100, 10, 60000),
    logLevel: logLevel as TrackerConfig['logLevel'],
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, ...overrides };
}
