import type { Sql } from '@tracker/read-model';
import { cutConditionSql, cutParams, type MemberCut } from './member-cut.sql';

export interface MemberContent {
  count: number;
  /** The content hash dataset.sealed defines, of exactly these members. */
  hash: string;
}

/**
 * Member count and content hash of a cut's members: lowercase hex SHA-256 of the distinct ids
 * in code point order (COLLATE "C" orders by UTF-8 bytes), joined by "\n". Member ids are
 * distinct per version (primary key).
 */
export async function cutContent(sql: Sql, cut: MemberCut): Promise<MemberContent> {
  const { rows } = await sql.query<{ member_count: number; content_hash: string }>(
    `SELECT count(*)::int AS member_count,
       encode(sha256(convert_to(coalesce(string_agg(m.member_id, E'\\n' ORDER BY m.member_id COLLATE "C"), ''), 'UTF8')), 'hex') AS content_hash
     FROM dataset_members m WHERE ${cutConditionSql(cut, 'm')}`,
    cutParams(cut),
  );
  return { count: rows[0].member_count, hash: rows[0].content_hash };
}
