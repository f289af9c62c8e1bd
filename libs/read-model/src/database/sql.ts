import type { Pool, PoolClient } from 'pg';

/** Anything that runs SQL: the pool, or one client inside a transaction. */
export type Sql = Pick<PoolClient, 'query'> | Pick<Pool, 'query'>;

/** Runs `work` in one transaction on one client; rolls back on any error and rethrows it. */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  // A backend lost between two statements (terminated, network cut) is reported as an 'error'
  // event on the checked-out client, which the pool does not listen to: unheard, it kills the
  // process. The next statement fails anyway and the caller retries; the client is dropped.
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/** Runs read-only `work` on one snapshot: every statement sees the same committed state. */
export function inSnapshot<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}
