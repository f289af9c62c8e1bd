import type { Pool } from 'pg';
import { ApiError } from '../../graphql/api-error';
import type { ConnectionShape } from '../../graphql/connection';
import { pageOfRows, pageSize, type PageRequest } from '../../graphql/page-query';
import type { ToolRow } from '../tools/tool.model';
import { journaledPositionsSql } from './dataset-as-of.sql';
import type {
  DatasetFindingRow,
  DatasetMemberRow,
  DatasetVersionRow,
} from './dataset-version.model';

export interface DatasetVersionKey {
  datasetId: string;
  version: number;
}

/** A version now (`asOf` null), or as the journal held it at `asOf`. */
export interface DatasetVersionView extends DatasetVersionKey {
  asOf: Date | null;
}

// Composite keys travel as parallel arrays, numbered by WITH ORDINALITY (1-based).
const keyArrays = (keys: readonly DatasetVersionKey[]) => [
  keys.map((key) => key.datasetId),
  keys.map((key) => key.version),
];
const viewArrays = (views: readonly DatasetVersionView[]) => [
  ...keyArrays(views),
  views.map((view) => view.asOf),
];

/** Dataset version rows by (datasetId, version), null where unknown, in the keys' order. */
export async function datasetVersionsByKey(
  pool: Pool,
  keys: readonly DatasetVersionKey[],
): Promise<Array<DatasetVersionRow | null>> {
  const { rows } = await pool.query<DatasetVersionRow & { key: string }>(
    `SELECT k.key, v.*
     FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(dataset_id, version, key)
     JOIN dataset_versions v ON v.dataset_id = k.dataset_id AND v.version = k.version`,
    keyArrays(keys),
  );
  const results: Array<DatasetVersionRow | null> = keys.map(() => null);
  for (const row of rows) results[Number(row.key) - 1] = row;
  return results;
}

/** Findings of each version (those journaled by its `asOf`, if any), in journal order. */
export async function findingsByVersion(
  pool: Pool,
  keys: readonly DatasetVersionView[],
): Promise<DatasetFindingRow[][]> {
  const { rows } = await pool.query<DatasetFindingRow & { key: string }>(
    `SELECT k.key, f.*
     FROM unnest($1::text[], $2::int[], $3::timestamptz[]) WITH ORDINALITY AS k(dataset_id, version, as_of, key)
     JOIN dataset_findings f ON f.dataset_id = k.dataset_id AND f.version = k.version
     WHERE k.as_of IS NULL OR f.position IN (${journaledPositionsSql('k.dataset_id', 'k.as_of')})
     ORDER BY f.position, f.id`,
    viewArrays(keys),
  );
  const results: DatasetFindingRow[][] = keys.map(() => []);
  for (const row of rows) results[Number(row.key) - 1].push(row);
  return results;
}

export interface CalledTools {
  /** Every distinct tool id the trajectory members call, sorted by code point. */
  toolIds: string[];
  /** The registered ones among them, in the same order. */
  tools: ToolRow[];
}

/**
 * The tools called by the trajectory members of each version (as of its `asOf`): one query that
 * unnests the members' called_tool_ids and joins them to the tools (left join: unregistered ids stay).
 */
export async function calledToolsByVersion(
  pool: Pool,
  keys: readonly DatasetVersionView[],
): Promise<CalledTools[]> {
  const { rows } = await pool.query<Partial<ToolRow> & { key: string; called_tool_id: string }>(
    `SELECT c.key, c.called_tool_id, t.*
     FROM (
       SELECT DISTINCT k.key, called.tool_id AS called_tool_id
       FROM unnest($1::text[], $2::int[], $3::timestamptz[]) WITH ORDINALITY AS k(dataset_id, version, as_of, key)
       JOIN dataset_members m ON m.dataset_id = k.dataset_id AND m.version = k.version AND m.member_kind = 'trajectory'
         AND (k.as_of IS NULL OR m.position IN (${journaledPositionsSql('k.dataset_id', 'k.as_of')}))
       JOIN trajectories tr ON tr.trajectory_id = m.member_id
       CROSS JOIN LATERAL unnest(tr.called_tool_ids) AS called(tool_id)
     ) c
     LEFT JOIN tools t ON t.tool_id = c.called_tool_id
     ORDER BY c.key, c.called_tool_id COLLATE "C"`,
    viewArrays(keys),
  );
  const results: CalledTools[] = keys.map(() => ({ toolIds: [], tools: [] }));
  for (const row of rows) {
    const result = results[Number(row.key) - 1];
    result.toolIds.push(row.called_tool_id);
    if (row.tool_id !== null && row.tool_id !== undefined) result.tools.push(row as ToolRow);
  }
  return results;
}

/**
 * Dataset versions holding each member (`kind` trajectory | task), found through the
 * lineage's `contains` edges (indexed by member); in journal order.
 */
export async function versionsContaining(
  pool: Pool,
  kind: 'trajectory' | 'task',
  memberIds: readonly string[],
): Promise<DatasetVersionRow[][]> {
  const { rows } = await pool.query<DatasetVersionRow & { member_id: string }>(
    `SELECT substr(e.dst, length($1::text) + 2) AS member_id, v.*
     FROM lineage_edges e
     CROSS JOIN LATERAL regexp_match(substr(e.src, length('dataset_version:') + 1), '^(.*)@([0-9]+)$') AS ref
     JOIN dataset_versions v ON v.dataset_id = ref[1] AND v.version = ref[2]::int
     WHERE e.relation = 'contains' AND e.dst = ANY($2::text[]) AND left(e.src, length('dataset_version:')) = 'dataset_version:'
     ORDER BY v.position, v.dataset_id, v.version`,
    [kind, memberIds.map((id) => `${kind}:${id}`)],
  );
  const byMember = new Map<string, DatasetVersionRow[]>();
  for (const row of rows) {
    const list = byMember.get(row.member_id);
    if (list) list.push(row);
    else byMember.set(row.member_id, [row]);
  }
  return memberIds.map((id) => byMember.get(id) ?? []);
}

// Members share the position of the event that added them, so their keyset is (position, member_id).
const encodeMemberCursor = (row: DatasetMemberRow) =>
  Buffer.from(`member:${row.position}:${row.member_id}`).toString('base64url');

function decodeMemberCursor(cursor: string): { position: string; memberId: string } {
  const match = /^member:(\d{1,19}):(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new ApiError(
      'BAD_USER_INPUT',
      `after: ${JSON.stringify(cursor)} is not a cursor of this API`,
    );
  return { position: match[1], memberId: match[2] };
}

/** One page of a version's members (those it had at `asOf`, if set), in the order they were added. */
export async function pageMembers<Node>(
  pool: Pool,
  view: DatasetVersionView,
  page: PageRequest,
  toNode: (row: DatasetMemberRow) => Node,
): Promise<ConnectionShape<Node>> {
  const first = pageSize(page.first);
  const after = page.after ? decodeMemberCursor(page.after) : null;
  const asOf = view.asOf
    ? `AND position IN (${journaledPositionsSql('$1::text', '$6::timestamptz')})`
    : '';
  const { rows } = await pool.query<DatasetMemberRow>(
    `SELECT * FROM dataset_members
     WHERE dataset_id = $1 AND version = $2 ${asOf}
       AND ($3::bigint IS NULL OR (position, member_id COLLATE "C") > ($3::bigint, $4::text COLLATE "C"))
     ORDER BY position, member_id COLLATE "C"
     LIMIT $5`,
    [
      view.datasetId,
      view.version,
      after?.position ?? null,
      after?.memberId ?? null,
      first + 1,
      ...(view.asOf ? [view.asOf] : []),
    ],
  );
  return pageOfRows(rows, first, after !== null, encodeMemberCursor, toNode);
}
