import type { Pool } from 'pg';
import { LogUnavailableError, type EventLogProducer, type LogRecord } from '../event-log.port';

// Any constant works; it only has to be the same for every appender of this database.
const APPEND_LOCK = 7_362_001;

/**
 * Appends to the `embedded_log` table: committed means accepted. Appends hold an advisory lock
 * until commit, so positions become visible in order and a reader never skips one.
 */
export class EmbeddedEventLogProducer implements EventLogProducer {
  constructor(
    private readonly pool: Pool,
    private readonly onAppended: () => void = () => undefined,
  ) {}

  async append(records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    let client;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new LogUnavailableError(
        `embedded log: cannot reach the database (${(error as Error).message})`,
        error,
      );
    }
    // A backend lost between two statements is reported as an 'error' event on this checked-out
    // client, which the pool does not listen to: unheard, it would kill the process. The next
    // statement fails anyway (the append is then refused); the broken client is dropped.
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      await client.query(
        'INSERT INTO embedded_log (key, value) SELECT * FROM unnest($1::text[], $2::text[])',
        [records.map((record) => record.key), records.map((record) => record.value)],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new LogUnavailableError(
        `embedded log: append failed (${(error as Error).message})`,
        error,
      );
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
    this.onAppended();
  }

  async close(): Promise<void> {}
}
