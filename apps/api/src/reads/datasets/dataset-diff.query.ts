import type { Pool } from 'pg';
import { ApiError } from '../../graphql/api-error';
import type { ConnectionShape } from '../../graphql/connection';
import { pageOfRows, pageSize, type PageRequest } from '../../graphql/page-query';
import type { DatasetDiff, DatasetDiffMember } from './dataset-diff.model';

export interface DiffKey {
  datasetId: string;
  fromVersion: number;
  toVersion: number;
}

/**
 * Counts of members added and removed from `fromVersion` to `toVersion`, from the versions'
 * member counts and one merge of their members in code point order; null for a version that
 * does not exist (`missing` names which).
 */
export async function diffCounts(
  pool: Pool,
  key: DiffKey,
): Promise<DatasetDiff | { missing: 'fromVersion' | 'toVersion' }> {
  const { rows } = await pool.query<{
    from_count: number | null;
    to_count: number | null;
    common: number;
  }>(
    `SELECT
       (SELECT member_count FROM dataset_versions WHERE dataset_id = $1 AND version = $2) AS from_count,
       (SELECT member_count FROM dataset_versions WHERE dataset_id = $1 AND version = $3) AS to_count,
       (SELECT count(*)::int FROM dataset_members a
        JOIN dataset_members b ON b.dataset_id = $1 AND b.version = $3
          AND b.member_id COLLATE "C" = a.member_id COLLATE "C"
        WHERE a.dataset_id = $1 AND a.version = $2) AS common`,
    [key.datasetId, key.fromVersion, key.toVersion],
  );
  const { from_count: fromCount, to_count: toCount, common } = rows[0];
  if (fromCount === null) return { missing: 'fromVersion' };
  if (toCount === null) return { missing: 'toVersion' };
  return { ...key, addedCount: toCount - common, removedCount: fromCount - common };
}

// Diff pages are in code point order of member ids; the cursor is the last id.
const encodeCursor = (memberId: string) =>
  Buffer.from(`member_id:${memberId}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const match = /^member_id:(.+)$/s.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new ApiError(
      'BAD_USER_INPUT',
      `after: ${JSON.stringify(cursor)} is not a cursor of this API`,
    );
  return match[1];
}

/**
 * One page of the members `added` (in toVersion, not in fromVersion) or `removed` (the
 * reverse), in code point order: keyset on the member id, each candidate checked by an
 * index probe of the other version.
 */
export async function pageDiffMembers(
  pool: Pool,
  key: DiffKey,
  side: 'added' | 'removed',
  page: PageRequest,
): Promise<ConnectionShape<DatasetDiffMember>> {
  const first = pageSize(page.first);
  const after = page.after ? decodeCursor(page.after) : null;
  const [inVersion, notInVersion] =
    side === 'added' ? [key.toVersion, key.fromVersion] : [key.fromVersion, key.toVersion];
  const { rows } = await pool.query<{ member_id: string; member_kind: string }>(
    `SELECT a.member_id, a.member_kind FROM dataset_members a
     WHERE a.dataset_id = $1 AND a.version = $2
       ${after === null ? '' : 'AND a.member_id COLLATE "C" > $5::text'}
       AND NOT EXISTS (
         SELECT 1 FROM dataset_members b
         WHERE b.dataset_id = $1 AND b.version = $3 AND b.member_id COLLATE "C" = a.member_id COLLATE "C")
     ORDER BY a.member_id COLLATE "C"
     LIMIT $4`,
    [key.datasetId, inVersion, notInVersion, first + 1, ...(after === null ? [] : [after])],
  );
  return pageOfRows(
    rows,
    first,
    after !== null,
    (row) => encodeCursor(row.member_id),
    (row) => ({ memberId: row.member_id, memberKind: row.member_kind }),
  );
}
