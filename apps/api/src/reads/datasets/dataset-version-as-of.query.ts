import type { Pool } from 'pg';
import { journaledPositionsSql, sealEventsSql } from './dataset-as-of.sql';
import type { DatasetVersionRow } from './dataset-version.model';
import type { DatasetVersionKey } from './dataset-version.query';

export interface DatasetVersionAsOfKey extends DatasetVersionKey {
  asOf: Date;
}

/**
 * Dataset version rows as the journal held them at each key's `asOf`, in the keys' order; null
 * where no event of the version was journaled by then. Members count if their adding event was
 * journaled by then; the version is sealed only if its first seal (the one that stands) was,
 * and the declared values and the tracker's hash then are that seal's. One query for all keys.
 */
export async function datasetVersionsAsOf(
  pool: Pool,
  keys: readonly DatasetVersionAsOfKey[],
): Promise<Array<DatasetVersionRow | null>> {
  const { rows } = await pool.query<DatasetVersionRow & { key: string }>(
    `SELECT k.key, v.dataset_id, v.version, v.created_at, v.position,
       members.member_count,
       CASE WHEN members.member_count > 0 THEN v.member_kind END AS member_kind,
       sealed.sealed,
       CASE WHEN sealed.sealed THEN v.computed_content_hash END AS computed_content_hash,
       CASE WHEN sealed.sealed THEN v.sealed_member_count END AS sealed_member_count,
       CASE WHEN sealed.sealed THEN v.sealed_content_hash END AS sealed_content_hash,
       CASE WHEN sealed.sealed THEN v.purpose END AS purpose,
       CASE WHEN sealed.sealed THEN v.description END AS description,
       CASE WHEN sealed.sealed THEN v.sealed_at END AS sealed_at
     FROM unnest($1::text[], $2::int[], $3::timestamptz[]) WITH ORDINALITY AS k(dataset_id, version, as_of, key)
     JOIN dataset_versions v ON v.dataset_id = k.dataset_id AND v.version = k.version
     JOIN event_journal first_event ON first_event.position = v.position AND first_event.projected_at <= k.as_of
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS member_count FROM dataset_members m
       WHERE m.dataset_id = k.dataset_id AND m.version = k.version
         AND m.position IN (${journaledPositionsSql('k.dataset_id', 'k.as_of')})
     ) members
     CROSS JOIN LATERAL (
       SELECT coalesce(bool_or(seal.projected_at <= k.as_of), false) AS sealed
       FROM (${sealEventsSql('k.dataset_id', 'k.version')} ORDER BY s.position LIMIT 1) seal
     ) sealed`,
    [keys.map((key) => key.datasetId), keys.map((key) => key.version), keys.map((key) => key.asOf)],
  );
  const results: Array<DatasetVersionRow | null> = keys.map(() => null);
  for (const row of rows) results[Number(row.key) - 1] = row;
  return results;
}
