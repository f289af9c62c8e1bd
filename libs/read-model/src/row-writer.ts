import type { Sql } from './database/sql';
import type { RowWrite } from './projections/projection';
import { TABLES, type TableName, type TableSpec } from './tables';

// Rewards feed their rollups in the same statement, from the rows the insert actually made:
// a reward id seen before adds nothing, so rollups never count an event twice.
const REWARD_ROLLUP = `
  INSERT INTO reward_rollups AS r
    (rl_run_id, domain, kind, step, count, sum, sum_squares, min, max, pass_count, hack_flagged_count)
  SELECT rl_run_id, domain, kind, step, count(*), sum(value::numeric), sum(value::numeric * value::numeric),
         min(value), max(value),
         count(*) FILTER (WHERE kind = 'verifiable' AND value = 1),
         count(*) FILTER (WHERE hack_flagged)
  FROM inserted GROUP BY rl_run_id, domain, kind, step
  ON CONFLICT (rl_run_id, domain, kind, step) DO UPDATE SET
    count = r.count + EXCLUDED.count,
    sum = r.sum + EXCLUDED.sum,
    sum_squares = r.sum_squares + EXCLUDED.sum_squares,
    min = LEAST(r.min, EXCLUDED.min),
    max = GREATEST(r.max, EXCLUDED.max),
    pass_count = r.pass_count + EXCLUDED.pass_count,
    hack_flagged_count = r.hack_flagged_count + EXCLUDED.hack_flagged_count`;

const keyOf = (spec: TableSpec, row: Record<string, unknown>) =>
  spec.key.map((column) => String(row[column])).join('\u0000');

/** Rows of one table, one per key: the first for first-wins, a column-wise merge for merge. */
function foldByKey(spec: TableSpec, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const key = keyOf(spec, row);
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, { ...row });
    } else if (spec.conflict === 'merge') {
      for (const [column, value] of Object.entries(row)) {
        if (value !== null && value !== undefined && !spec.keepOnMerge?.includes(column))
          existing[column] = value;
      }
    }
  }
  // A stable key order makes concurrent transactions lock rows in the same order (no deadlock).
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

function insertStatement(spec: TableSpec): string {
  const columns = spec.columns.join(', ');
  const select = `SELECT ${columns} FROM json_populate_recordset(null::${spec.name}, $1::json)`;
  let conflict = `ON CONFLICT (${spec.key.join(', ')}) DO NOTHING`;
  if (spec.conflict === 'merge') {
    const updates = spec.columns
      .filter((column) => !spec.key.includes(column) && !spec.keepOnMerge?.includes(column))
      .map((column) => `${column} = COALESCE(EXCLUDED.${column}, ${spec.name}.${column})`);
    conflict = `ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  }
  const insert = `INSERT INTO ${spec.name} (${columns}) ${select} ${conflict}`;
  if (spec === TABLES.rewards) {
    return `WITH inserted AS (${insert} RETURNING rl_run_id, domain, kind, step, value, hack_flagged) ${REWARD_ROLLUP}`;
  }
  return insert;
}

const statements = new Map<TableSpec, string>(
  Object.values(TABLES).map((spec) => [spec, insertStatement(spec)]),
);
const tableOrder = Object.keys(TABLES) as TableName[];

/** Writes a batch's rows with one set-based statement per table, in a fixed table order. */
export async function writeRows(sql: Sql, writes: readonly RowWrite[]): Promise<void> {
  const byTable = new Map<TableName, Record<string, unknown>[]>();
  for (const write of writes) {
    const rows = byTable.get(write.table);
    if (rows) rows.push(write.row);
    else byTable.set(write.table, [write.row]);
  }
  for (const name of tableOrder) {
    const rows = byTable.get(name);
    if (!rows) continue;
    const spec = TABLES[name];
    await sql.query(statements.get(spec)!, [JSON.stringify(foldByKey(spec, rows))]);
  }
}
