import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LogLevel,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule, Authenticator, configureHttp } from '../../api/src';
import { ConfigError, type TrackerConfig } from '@tracker/config';
import { PlatformModule } from '@tracker/platform';
import { ProjectorModule } from '../../projector/src';

export interface TrackerRoles {
  api: boolean;
  projector: boolean;
}

@Module({})
class TrackerRootModule {}

/** The composition root: the platform plus the roles this process plays. */
function rootModule(config: TrackerConfig, roles: TrackerRoles): DynamicModule {
  return {
    module: TrackerRootModule,
    imports: [
      PlatformModule.forRoot(config),
      ...(roles.api ? [ApiModule] : []),
      ...(roles.projector ? [ProjectorModule] : []),
    ],
  };
}

export interface RunningTracker {
  readonly app: INestApplicationContext;
  /** Base URL of the HTTP server, when the API role runs. */
  readonly url?: string;
  /** True while no API key exists (the API then listens on a loopback address only). */
  readonly openAccess?: boolean;
  close(): Promise<void>;
}

/** Boots the tracker in this process; with the API role it listens on config.host:port. */
export async function startTracker(
  config: TrackerConfig,
  roles: TrackerRoles,
  logger: LoggerService | LogLevel[] | false = logLevels(config.logLevel),
): Promise<RunningTracker> {
  const module = rootModule(config, roles);
  if (!roles.api) {
    const app = await NestFactory.createApplicationContext(module, { logger });
    app.enableShutdownHooks();
    return { app, close: () => app.close() };
  }
  const app = await NestFactory.create<NestExpressApplication>(module, { logger });
  const openAccess = await app.get(Authenticator).isOpen();
  if (openAccess && !isLoopback(config.host)) {
    await app.close();
    throw new ConfigError([
      `HOST=${config.host}: no API key exists, so anyone who reaches this address could read and write everything. Create a key first (tracker keys create --name admin --scopes admin,read,ingest, with the same DATABASE_URL), or listen on 127.0.0.1`,
    ]);
  }
  configureHttp(app, config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${address.port}`, openAccess, close: () => app.close() };
}

/** Loopback addresses: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function logLevels(level: TrackerConfig['logLevel']): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const last = { error: 1, warn: 2, info: 3, debug: 5 }[level];
  return order.slice(0, last + 1);
}
