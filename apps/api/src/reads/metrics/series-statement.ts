import { createHash } from 'node:crypto';
import { inTransaction } from '@tracker/read-model';
import type { Pool, QueryResultRow } from 'pg';

// A series statement probes a few thousand primary-key ranges per run. For 20 runs the
// planner's cost estimate passes jit_above_cost, and compiling the plan (1.3 s measured with
// 20 runs on the development machine) costs far more than running it (milliseconds per run).
const WITHOUT_JIT = 'BEGIN READ ONLY; SET LOCAL jit = off';

/**
 * Runs one series statement, with JIT compilation off for it alone. The statement is prepared
 * once per connection (named by its text), so that Postgres can keep its plan: planning these
 * CTEs costs a few milliseconds, as much as running a short window.
 */
export function querySeries<Row extends QueryResultRow>(
  pool: Pool,
  text: string,
  params: unknown[],
): Promise<Row[]> {
  const name = `series-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  return inTransaction(
    pool,
    async (client) => (await client.query<Row>({ name, text, values: params })).rows,
    WITHOUT_JIT,
  );
}
