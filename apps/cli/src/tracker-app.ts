import {
  Module,
  type DynamicModule,
  type INestApplicationContext,
  type LogLevel,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule, configureHttp } from '../../api/src';
import type { TrackerConfig } from '@tracker/config';
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
  configureHttp(app, config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${address.port}`, close: () => app.close() };
}

function logLevels(level: TrackerConfig['logLevel']): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const last = { error: 1, warn: 2, info: 3, debug: 5 }[level];
  return order.slice(0, last + 1);
}
