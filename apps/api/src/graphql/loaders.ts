import DataLoader from 'dataloader';
import type { Pool, QueryResultRow } from 'pg';
import type { Caller } from '../access/caller';

/**
 * Batches lookups of one request: every `rowsByKey` loader turns N field resolutions into one
 * `WHERE key = ANY($1)` query. Created per request (GraphQL context), so nothing is cached
 * across requests.
 */
export class Loaders {
  private readonly loaders = new Map<string, DataLoader<string, QueryResultRow[]>>();
  private readonly custom = new Map<string, DataLoader<unknown, unknown>>();

  constructor(readonly pool: Pool) {}

  /** All rows of `table` whose `column` equals the key (e.g. rewards by rollout_id). */
  rowsBy<Row extends QueryResultRow>(table: string, column: string, key: string): Promise<Row[]> {
    const name = `${table}.${column}`;
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<string, QueryResultRow[]>(async (keys) => {
        const { rows } = await this.pool.query(
          `SELECT * FROM ${table} WHERE ${column} = ANY($1::text[]) ORDER BY position`,
          [keys],
        );
        return groupBy(keys, rows, (row) => String(row[column]));
      });
      this.loaders.set(name, loader);
    }
    return loader.load(key) as Promise<Row[]>;
  }

  /**
   * A named loader with its own batch function, for relations that are not a plain column
   * match (aggregates per run, keys with arguments). Keys are compared by their JSON.
   */
  load<Key, Value>(
    name: string,
    key: Key,
    batch: (keys: readonly Key[]) => Promise<Value[]>,
  ): Promise<Value> {
    let loader = this.custom.get(name) as DataLoader<Key, Value, string> | undefined;
    if (!loader) {
      loader = new DataLoader<Key, Value, string>((keys) => batch(keys), {
        cacheKeyFn: (k) => JSON.stringify(k),
      });
      this.custom.set(name, loader);
    }
    return loader.load(key);
  }

  /** The row of `table` whose primary key column `column` equals the key, or null. */
  async rowBy<Row extends QueryResultRow>(
    table: string,
    column: string,
    key: string | null | undefined,
  ): Promise<Row | null> {
    if (key === null || key === undefined) return null;
    const rows = await this.rowsBy<Row>(table, column, key);
    return rows[0] ?? null;
  }
}

export interface GraphQLContext {
  loaders: Loaders;
  /** Who asks (access/caller.ts); set by the HTTP and graphql-ws doors. */
  readonly caller: Caller;
}

/**
 * For each event of a subscription: a subscription keeps one context for its lifetime, and
 * loaders cache what they load, so without this a run loaded for the first event would be
 * answered as it was then for every later one.
 */
export function freshLoaders(context: GraphQLContext): void {
  context.loaders = new Loaders(context.loaders.pool);
}

/** Rows grouped under the keys they belong to, in the keys' order (a DataLoader batch answer). */
export function groupBy<Key, Row>(
  keys: readonly Key[],
  rows: readonly Row[],
  keyOf: (row: Row) => Key,
): Row[][] {
  const byKey = new Map<Key, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  }
  return keys.map((key) => byKey.get(key) ?? []);
}
