import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The built CLI (npm test builds it first), from the source or the build of this file. */
export const BUILT_CLI = ((): string => {
  const fromSource = resolve(__dirname, '../../../dist/apps/cli/src/main.js');
  return existsSync(fromSource)
    ? fromSource
    : join(resolve(__dirname, '../../..'), 'apps/cli/src/main.js');
})();

export interface ProjectorProcessOptions {
  databaseUrl: string;
  kafkaBootstrap: string;
  topic: string;
  groupId: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  stdio?: StdioOptions;
}

/**
 * A projector as its own process (`tracker projector` of the built CLI), with the short group
 * timeouts the Kafka mock needs in tests.
 */
export function spawnProjectorProcess(options: ProjectorProcessOptions): ChildProcess {
  if (!existsSync(BUILT_CLI))
    throw new Error(`${BUILT_CLI} is missing: run npm run build (npm test does)`);
  return spawn(process.execPath, [BUILT_CLI, 'projector'], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      KAFKA_BROKERS: options.kafkaBootstrap,
      KAFKA_TOPIC: options.topic,
      KAFKA_GROUP_ID: options.groupId,
      KAFKA_SESSION_TIMEOUT_MS: '3000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      LOG_LEVEL: options.logLevel ?? 'error',
    },
    stdio: options.stdio ?? 'ignore',
  });
}
