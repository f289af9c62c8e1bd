import type { Sql } from '../database/sql';

/** Creates the version row if it is new and locks it; returns its sealed flag and member kind. */
export async function lockDatasetVersion(
  sql: Sql,
  key: {
    datasetId: string;
    version: number;
    memberKind: string | null;
    time: string;
    position: string;
  },
): Promise<{ sealed: boolean; memberKind: string | null }> {
  await sql.query(
    `INSERT INTO dataset_versions (dataset_id, version, member_kind, created_at, position)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dataset_id, version) DO NOTHING`,
    [key.datasetId, key.version, key.memberKind, key.time, key.position],
  );
  const { rows } = await sql.query<{ sealed: boolean; member_kind: string | null }>(
    `SELECT sealed, member_kind FROM dataset_versions WHERE dataset_id = $1 AND version = $2 FOR UPDATE`,
    [key.datasetId, key.version],
  );
  return { sealed: rows[0].sealed, memberKind: rows[0].member_kind };
}

export async function recordDatasetFinding(
  sql: Sql,
  finding: {
    datasetId: string;
    version: number;
    finding: 'added_after_seal' | 'duplicate_member' | 'member_kind_mismatch' | 'sealed_again';
    memberIds: string[];
    detail: string;
    eventId: string;
    position: string;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO dataset_findings (dataset_id, version, finding, member_ids, detail, event_id, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      finding.datasetId,
      finding.version,
      finding.finding,
      finding.memberIds,
      finding.detail,
      finding.eventId,
      finding.position,
    ],
  );
}
