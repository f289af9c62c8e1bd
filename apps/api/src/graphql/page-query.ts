import type { Pool, QueryResultRow } from 'pg';
import { ApiError } from './api-error';
import type { ConnectionShape } from './connection';
import { groupBy, type Loaders } from './loaders';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/**
 * Cursors are opaque to clients; inside they are the keyset value of the row, named after its
 * column (`position:42`, or `id:7` for tables paged by id).
 */
export function encodeCursor(position: string, key = 'position'): string {
  return Buffer.from(`${key}:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string, key = 'position'): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^([a-z_]+):(\d{1,19})$/.exec(text);
  if (!match || match[1] !== key) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `after: ${JSON.stringify(cursor)} is not a cursor of this API`,
    );
  }
  return match[2];
}

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/** The page size asked for, or the default; refuses what is not an integer in 0..MAX_PAGE_SIZE. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `first: must be an integer from 0 to ${MAX_PAGE_SIZE} (got ${size})`,
    );
  }
  return size;
}

/**
 * A condition that is not a column equality (array membership, ranges): it receives `param`,
 * which binds a value and returns its `$n` reference, e.g. ``(param) => `${param(id)} = ANY(tool_ids)` ``.
 */
export type SqlCondition = (param: (value: unknown) => string) => string;

export interface PageOptions {
  /** The keyset column: unique, increasing in the order wanted (default `position`). */
  keyColumn?: string;
  /** Extra conditions, ANDed with the column filters. */
  where?: readonly SqlCondition[];
}

/**
 * One page of `table` in journal order (oldest first), filtered by `filters` (column -> value;
 * null/undefined values are ignored). Keyset pagination on `position` (or `options.keyColumn`):
 * cost independent of depth.
 */
export async function pageByPosition<Row extends QueryResultRow, Node>(
  pool: Pool,
  table: string,
  filters: Record<string, unknown>,
  page: PageRequest,
  toNode: (row: Row) => Node,
  options: PageOptions = {},
): Promise<ConnectionShape<Node>> {
  const keyColumn = options.keyColumn ?? 'position';
  const first = pageSize(page.first);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    conditions.push(`${column} = ${param(value)}`);
  }
  for (const condition of options.where ?? []) conditions.push(`(${condition(param)})`);
  if (page.after) conditions.push(`${keyColumn} > ${param(decodeCursor(page.after, keyColumn))}`);
  const limit = param(first + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await pool.query<Row>(
    `SELECT * FROM ${table} ${where} ORDER BY ${keyColumn} LIMIT ${limit}`,
    params,
  );
  return toConnection(rows, first, page, keyColumn, toNode);
}

/**
 * A page built from up to `first + 1` rows (the extra one only tells that there is more), each
 * row's cursor made by `cursorOf`.
 */
export function pageOfRows<Row, Node>(
  rows: readonly Row[],
  first: number,
  hasPreviousPage: boolean,
  cursorOf: (row: Row) => string,
  toNode: (row: Row) => Node,
): ConnectionShape<Node> {
  const edges = rows.slice(0, first).map((row) => ({ cursor: cursorOf(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function toConnection<Row extends QueryResultRow, Node>(
  rows: readonly Row[],
  first: number,
  page: PageRequest,
  keyColumn: string,
  toNode: (row: Row) => Node,
): ConnectionShape<Node> {
  return pageOfRows(
    rows,
    first,
    Boolean(page.after),
    (row) => encodeCursor(String(row[keyColumn]), keyColumn),
    toNode,
  );
}

/**
 * The page of a parent's children (a run's rewards, ...) as {@link pageByPosition} would give
 * it, but batched: all parents asking the same page in one request share ONE query (a lateral
 * join per parent), so a list of 50 runs each with `rewards(first: 10)` costs one query, not 50.
 */
export async function pageOfParent<Row extends QueryResultRow, Node>(
  loaders: Loaders,
  table: string,
  parentColumn: string,
  parentId: string,
  filters: Record<string, unknown>,
  page: PageRequest,
  toNode: (row: Row) => Node,
): Promise<ConnectionShape<Node>> {
  const first = pageSize(page.first);
  const after = page.after ? decodeCursor(page.after) : null;
  const active = Object.entries(filters).filter(
    ([, value]) => value !== undefined && value !== null,
  );
  const name = `page:${table}:${parentColumn}:${JSON.stringify({ active, first, after })}`;
  const rows = await loaders.load<string, Row[]>(name, parentId, async (parentIds) => {
    const params: unknown[] = [parentIds];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = [
      `t.${parentColumn} = p.parent_id`,
      ...active.map(([column, value]) => `t.${column} = ${param(value)}`),
    ];
    if (after !== null) conditions.push(`t.position > ${param(after)}`);
    const limit = param(first + 1);
    const { rows: found } = await loaders.pool.query<Row & { parent_key: string }>(
      `SELECT p.parent_id AS parent_key, t.* FROM unnest($1::text[]) AS p(parent_id)
       CROSS JOIN LATERAL (SELECT * FROM ${table} t WHERE ${conditions.join(' AND ')} ORDER BY t.position LIMIT ${limit}) t`,
      params,
    );
    return groupBy(parentIds, found, (row) => row.parent_key);
  });
  return toConnection(rows, first, page, 'position', toNode);
}
