import type { NodeKind, Relation } from '@tracker/read-model';
import type { QueryResultRow } from 'pg';
import { groupBy, type Loaders } from '../graphql/loaders';

/** Which rows sit at the other end of one kind of lineage edge, and in which table they live. */
export interface LinkSpec {
  relation: Relation;
  /** `incoming`: edges pointing at the node (rows are their sources); `outgoing`: the reverse. */
  direction: 'incoming' | 'outgoing';
  /** Node kind of the rows (`tool`, `agent`, ...): edges to other kinds are ignored. */
  kind: NodeKind;
  table: string;
  idColumn: string;
}

/**
 * Rows linked to `node` (a lineage node id such as `tool:t-1`) by `spec`, in journal order.
 * Batched per request: one query for all nodes asking the same relation. Ends of edges whose
 * row has not arrived yet are left out.
 */
export function rowsLinkedTo<Row extends QueryResultRow>(
  loaders: Loaders,
  spec: LinkSpec,
  node: string,
): Promise<Row[]> {
  const [near, far] = spec.direction === 'incoming' ? ['dst', 'src'] : ['src', 'dst'];
  const prefix = `${spec.kind}:`;
  const name = `lineage:${spec.direction}:${spec.relation}:${spec.kind}`;
  return loaders.load<string, Row[]>(name, node, async (nodes) => {
    const { rows } = await loaders.pool.query<Row & { lineage_key: string }>(
      `SELECT e.${near} AS lineage_key, t.*
       FROM lineage_edges e
       JOIN ${spec.table} t ON t.${spec.idColumn} = substr(e.${far}, $3::int + 1)
       WHERE e.relation = $1 AND e.${near} = ANY($2::text[]) AND left(e.${far}, $3::int) = $4
       ORDER BY t.position`,
      [spec.relation, nodes, prefix.length, prefix],
    );
    return groupBy(nodes, rows, (row) => row.lineage_key);
  });
}

/** Rows of `table` by primary key, for a list of ids: the known ones, in the list's order. */
export async function rowsByIds<Row extends QueryResultRow>(
  loaders: Loaders,
  table: string,
  idColumn: string,
  ids: readonly string[],
): Promise<Row[]> {
  const rows: Array<Row | null> = await Promise.all(
    ids.map((id) => loaders.rowBy<Row>(table, idColumn, id)),
  );
  return rows.filter((row): row is Row => row !== null);
}
