import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migration-data-source';

export interface Database {
  readonly pool: Pool;
  readonly url: string;
  /** True when this process runs Postgres itself (PGlite): one connection, no LISTEN. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Apply pending migrations before returning (the default). */
  migrate?: boolean;
}

/** Connects to DATABASE_URL, or starts the embedded Postgres when there is none. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(options.dataDir);
    url = embedded.url;
  }
  if (options.migrate !== false) await runMigrations(url);
  const pool = new Pool({
    connectionString: url,
    // PGlite has one backend: a second connection would wait on the first's transaction.
    max: embedded ? 1 : (options.poolSize ?? 10),
    application_name: 'post-training-tracker',
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    pool,
    url,
    embedded: embedded !== undefined,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
