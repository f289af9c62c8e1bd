import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import { createEventLog, type EventLog } from '@tracker/log';
import { openDatabase, type Database } from '@tracker/read-model';
import { DATABASE, EVENT_LOG, TRACKER_CONFIG } from './tokens';

@Injectable()
class PlatformShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_LOG) private readonly log: EventLog,
  ) {}

  // Runs after every module's onModuleDestroy (projectors stopped, servers closed).
  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
    await this.database.close();
  }
}

/** Config, database (migrated at start-up) and event log, for any app that imports it. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: TrackerConfig): DynamicModule {
    const logger = new Logger('Platform');
    return {
      module: PlatformModule,
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        {
          provide: DATABASE,
          useFactory: async () => {
            const database = await openDatabase({
              databaseUrl: config.databaseUrl,
              dataDir: config.dataDir,
            });
            logger.log(
              database.embedded
                ? `embedded Postgres (PGlite) in ${config.dataDir}`
                : `Postgres at ${redact(database.url)}`,
            );
            return database;
          },
        },
        {
          provide: EVENT_LOG,
          inject: [DATABASE],
          useFactory: async (database: Database) => {
            const log = await createEventLog(config, database.pool);
            logger.log(`log: ${log.description}`);
            return log;
          },
        },
        PlatformShutdown,
      ],
      exports: [TRACKER_CONFIG, DATABASE, EVENT_LOG],
    };
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
