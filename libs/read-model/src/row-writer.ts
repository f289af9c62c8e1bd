import { copyField, copyIn } from './database/copy-in';
import type { Sql } from './database/sql';
import type { RowWrite } from './projections/projection';
import { REWARD_BLOCK_ROLLUP } from './rollups/reward-block-rollup.sql';
import { ROLLOUT_ROLLUP } from './rollups/rollout-rollup.sql';
import { TABLES, type TableName, type TableSpec } from './tables';

// Rewards feed their rollups in the same statement, from the rows the insert actually made:
// a reward id seen before adds nothing, so rollups never count an event twice. The judge
// (verifier name and version, critic version; '' for none) is part of the key: impact reads it.
const REWARD_ROLLUP = `
  INSERT INTO reward_rollups AS r
    (rl_run_id, domain, kind, step, verifier_name, verifier_version, critic_version_id,
     count, sum, sum_squares, min, max, pass_count, hack_flagged_count)
  SELECT rl_run_id, domain, kind, step, coalesce(verifier_name, ''), coalesce(verifier_version, ''),
         coalesce(critic_version_id, ''),
         count(*), sum(value::numeric), sum(value::numeric * value::numeric),
         min(value), max(value),
         count(*) FILTER (WHERE kind = 'verifiable' AND value = 1),
         count(*) FILTER (WHERE hack_flagged)
  FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT (rl_run_id, domain, kind, step, verifier_name, verifier_version, critic_version_id) DO UPDATE SET
    count = r.count + EXCLUDED.count,
    sum = r.sum + EXCLUDED.sum,
    sum_squares = r.sum_squares + EXCLUDED.sum_squares,
    min = LEAST(r.min, EXCLUDED.min),
    max = GREATEST(r.max, EXCLUDED.max),
    pass_count = r.pass_count + EXCLUDED.pass_count,
    hack_flagged_count = r.hack_flagged_count + EXCLUDED.hack_flagged_count`;

// Rollouts feed the per-target link counts (see the rollout-links migration) the same way.
const ROLLOUT_LINKS = `
  INSERT INTO rollout_links AS l (target, rl_run_id, count, first_step, last_step)
  SELECT target, rl_run_id, count(*), min(step), max(step)
  FROM inserted
  CROSS JOIN LATERAL (VALUES ('task:' || task_id), ('checkpoint:' || policy_checkpoint_id)) AS t (target)
  WHERE target IS NOT NULL
  GROUP BY target, rl_run_id
  ON CONFLICT (target, rl_run_id) DO UPDATE SET
    count = l.count + EXCLUDED.count,
    first_step = LEAST(l.first_step, EXCLUDED.first_step),
    last_step = GREATEST(l.last_step, EXCLUDED.last_step)`;

// What link counts and rollout rollups (see rollups/rollout-rollup.sql) read of each new
// rollout, in this order, with their types.
const ROLLOUT_AGGREGATE_INPUTS: ReadonlyArray<readonly [column: string, type: string]> = [
  ['rl_run_id', 'text'],
  ['step', 'int'],
  ['task_id', 'text'],
  ['policy_checkpoint_id', 'text'],
  ['response_tokens', 'int'],
  ['prompt_tokens', 'int'],
  ['num_turns', 'int'],
  ['num_tool_calls', 'int'],
  ['finish_reason', 'text'],
  ['partial_of', 'text'],
];
const ROLLOUT_AGGREGATE_COLUMNS = ROLLOUT_AGGREGATE_INPUTS.map(([column]) => column);

// Both aggregates of the rollouts in `inserted`, in one statement.
const ROLLOUT_AGGREGATES = `links AS (${ROLLOUT_LINKS}) ${ROLLOUT_ROLLUP}`;

// The aggregates of rollouts written by COPY, from arrays of what they use.
const COPIED_ROLLOUT_AGGREGATES = `
  WITH inserted AS (
    SELECT * FROM unnest(${ROLLOUT_AGGREGATE_INPUTS.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')})
      AS rollout (${ROLLOUT_AGGREGATE_COLUMNS.join(', ')})
  ), ${ROLLOUT_AGGREGATES}`;

// What rollups read of each new reward, in this order.
const ROLLUP_COLUMNS = [
  'rl_run_id',
  'domain',
  'kind',
  'step',
  'value',
  'hack_flagged',
  'verifier_name',
  'verifier_version',
  'critic_version_id',
];

// Both rollups of the rewards in `inserted` (by judge; by block for series), in one statement.
const REWARD_ROLLUPS = `judged AS (${REWARD_ROLLUP}) ${REWARD_BLOCK_ROLLUP}`;

/** A row's key as one string (what {@link WrittenKeys} hold). */
export const keyOf = (spec: TableSpec, row: Record<string, unknown>) =>
  spec.key.map((column) => String(row[column])).join('\u0000');

/**
 * Keys of the first-wins rows a write actually added, per table (a key already there adds
 * nothing). Tables whose statement cannot say (merge tables, rewards and rollouts with their
 * aggregates) are absent.
 */
export type WrittenKeys = Map<TableName, Set<string>>;

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

/** First-wins tables other than the two feeding aggregates: their writes report new keys. */
const tracksKeys = (spec: TableSpec) =>
  spec.conflict === 'first-wins' && spec !== TABLES.rewards && spec !== TABLES.rollouts;

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
  if (tracksKeys(spec)) return `${insert} RETURNING ${spec.key.join(', ')}`;
  if (spec === TABLES.rewards) {
    return `WITH inserted AS (${insert} RETURNING ${ROLLUP_COLUMNS.join(', ')}), ${REWARD_ROLLUPS}`;
  }
  if (spec === TABLES.rollouts) {
    return `WITH inserted AS (${insert} RETURNING ${ROLLOUT_AGGREGATE_COLUMNS.join(', ')}), ${ROLLOUT_AGGREGATES}`;
  }
  return insert;
}

// Rollups of rewards written by COPY: the rows are passed again, as arrays of what rollups use.
const COPIED_REWARD_ROLLUP = `
  WITH inserted AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::bool[],
                         $7::text[], $8::text[], $9::text[])
      AS reward (${ROLLUP_COLUMNS.join(', ')})
  ), ${REWARD_ROLLUPS}`;

// Below this many rows the extra round trip of the key lookup costs more than COPY saves.
const COPY_MIN_ROWS = 64;

/** Whether a table's rows of one batch go by COPY: many rows, first-wins, one text key column. */
const copies = (spec: TableSpec, rows: readonly unknown[], copy: boolean) =>
  copy && rows.length >= COPY_MIN_ROWS && spec.conflict === 'first-wins' && spec.key.length === 1;

/**
 * First-wins rows by COPY: the keys already there are looked up and left out, the rest copied
 * (rewards then feed their rollups, rollouts their link counts and rollups: exactly the rows
 * added). A row
 * added meanwhile by a concurrent transaction makes COPY fail with a unique violation, a data
 * error: the caller redoes the batch one event at a time, through INSERT ... ON CONFLICT.
 */
async function copyNewRows(
  sql: Sql,
  spec: TableSpec,
  rows: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const [key] = spec.key;
  const { rows: known } = await sql.query<{ key: string }>(
    `SELECT ${key} AS key FROM ${spec.name} WHERE ${key} = ANY($1::text[])`,
    [rows.map((row) => row[key])],
  );
  const knownKeys = new Set(known.map((row) => row.key));
  const fresh = rows.filter((row) => !knownKeys.has(row[key] as string));
  const textArrays = spec.columns.map((column) => spec.textArrays?.includes(column) ?? false);
  await copyIn(
    sql,
    spec.name,
    spec.columns,
    fresh.map((row) =>
      spec.columns.map((column, index) => copyField(row[column], textArrays[index])),
    ),
  );
  if (fresh.length === 0) return fresh;
  if (spec === TABLES.rewards) {
    await sql.query(
      COPIED_REWARD_ROLLUP,
      ROLLUP_COLUMNS.map((column) => fresh.map((row) => row[column])),
    );
  } else if (spec === TABLES.rollouts) {
    await sql.query(
      COPIED_ROLLOUT_AGGREGATES,
      ROLLOUT_AGGREGATE_COLUMNS.map((column) => fresh.map((row) => row[column])),
    );
  }
  return fresh;
}

const statements = new Map<TableSpec, string>(
  Object.values(TABLES).map((spec) => [spec, insertStatement(spec)]),
);
const tableOrder = Object.keys(TABLES) as TableName[];

/**
 * Writes a batch's rows with one set-based statement per table, in a fixed table order; with
 * `copy` (a real Postgres connection), large first-wins sets go by COPY. Returns the keys of
 * the first-wins rows it added.
 */
export async function writeRows(
  sql: Sql,
  writes: readonly RowWrite[],
  { copy }: { copy: boolean },
): Promise<WrittenKeys> {
  const written: WrittenKeys = new Map();
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
    const folded = foldByKey(spec, rows);
    if (copies(spec, folded, copy)) {
      const fresh = await copyNewRows(sql, spec, folded);
      if (tracksKeys(spec)) written.set(name, new Set(fresh.map((row) => keyOf(spec, row))));
    } else {
      const result = await sql.query(statements.get(spec)!, [JSON.stringify(folded)]);
      if (tracksKeys(spec)) written.set(name, new Set(result.rows.map((row) => keyOf(spec, row))));
    }
  }
  return written;
}
