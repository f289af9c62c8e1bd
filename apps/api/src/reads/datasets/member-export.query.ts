import type { Pool } from 'pg';
import type { DatasetMemberRow } from './dataset-version.model';
import type { DatasetVersionKey } from './dataset-version.query';
import { cutContent, type MemberContent } from './member-content.query';
import type { MemberCut } from './member-cut.sql';

export interface MemberExport {
  sealed: boolean;
  sealedContentHash: string | null;
  sealedMemberCount: number | null;
  /** Count and content hash of exactly the members the export streams. */
  content: MemberContent;
  /** The members exported: those added through this journal position. */
  cut: MemberCut;
}

/**
 * What an export of a version's members will hold, or null for an unknown version. The members
 * are those visible now (through the last journal position): a sealed version's are fixed and
 * hashed at the seal; an unsealed one's are hashed now, and later pages stop at the same position.
 */
export async function prepareMemberExport(
  pool: Pool,
  key: DatasetVersionKey,
): Promise<MemberExport | null> {
  const { rows } = await pool.query<{
    sealed: boolean;
    sealed_content_hash: string | null;
    sealed_member_count: number | null;
    computed_content_hash: string | null;
    member_count: number;
    through: string;
  }>(
    `SELECT v.sealed, v.sealed_content_hash, v.sealed_member_count, v.computed_content_hash,
       v.member_count, (SELECT max(position) FROM event_journal)::text AS through
     FROM dataset_versions v WHERE v.dataset_id = $1 AND v.version = $2`,
    [key.datasetId, key.version],
  );
  const row = rows[0];
  if (!row) return null;
  const cut: MemberCut = { ...key, through: row.through, asOf: null };
  return {
    sealed: row.sealed,
    sealedContentHash: row.sealed_content_hash,
    sealedMemberCount: row.sealed_member_count,
    content: row.sealed
      ? { count: row.member_count, hash: row.computed_content_hash! }
      : await cutContent(pool, cut),
    cut,
  };
}

const PAGE_ROWS = 5000;

/**
 * The export's members in code point order of their ids (the content hash's order), a page at
 * a time: keyset on member_id over the COLLATE "C" index, so memory stays one page whatever the
 * version's size, and no connection is held between pages.
 */
export async function* exportedMemberPages(
  pool: Pool,
  cut: MemberCut,
): AsyncGenerator<DatasetMemberRow[]> {
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: DatasetMemberRow[] } = await pool.query<DatasetMemberRow>(
      `SELECT m.* FROM dataset_members m
       WHERE m.dataset_id = $1 AND m.version = $2 AND m.position <= $3::bigint
         ${after === null ? '' : 'AND m.member_id COLLATE "C" > $5::text'}
       ORDER BY m.member_id COLLATE "C"
       LIMIT $4`,
      [cut.datasetId, cut.version, cut.through, PAGE_ROWS, ...(after === null ? [] : [after])],
    );
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_ROWS) return;
    after = rows[rows.length - 1].member_id;
  }
}
