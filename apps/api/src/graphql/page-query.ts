import type { Pool } from 'pg';
import { ApiError } from './api-error';
import type { ConnectionShape } from './connection';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Cursors are opaque to clients; inside they are journal positions of the rows. */
export function encodeCursor(position: string): string {
  return Buffer.from(`position:${position}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^position:(\d{1,19})$/.exec(text);
  if (!match) throw new ApiError('BAD_USER_INPUT', `after: ${JSON.stringify(cursor)} is not a cursor of this API`);
  return match[1];
}

export interface PageRequest {
  first?: number | null;
  after?: string | null;
}

/**
 * One page of `table` in journal order (oldest first), filtered by `filters` (column -> value;
 * null/undefined values are ignored). Keyset pagination on `position`: cost independent of depth.
 */
export async function pageByPosition<Row extends { position: string }, Node>(
  pool: Pool,
  table: string,
  filters: Record<string, unknown>,
  page: PageRequest,
  toNode: (row: Row) => Node,
): Promise<ConnectionShape<Node>> {
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new ApiError('BAD_USER_INPUT', `first: must be an integer from 0 to ${MAX_PAGE_SIZE} (got ${first})`);
  }
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  }
  if (page.after) {
    params.push(decodeCursor(page.after));
    conditions.push(`position > $${params.length}`);
  }
  params.push(first + 1);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const { rows } = await pool.query<Row>(
    `SELECT * FROM ${table} ${where} ORDER BY position LIMIT $${params.length}`,
    params,
  );
  const pageRows = rows.slice(0, first);
  const edges = pageRows.map((row) => ({ cursor: encodeCursor(row.position), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(page.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
