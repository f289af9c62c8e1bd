import type { Sql } from '@tracker/read-model';
import type { DatasetVersionKey } from '../datasets/dataset-version.query';
import type { ComputedChecks } from './audit-findings';

// The computed checks of a current audit, from what the projector keeps as rows arrive
// (dataset_member_issues, dataset_version_runs; see settleAfterTurn): a few rows however
// many members the version has. Only a synthesis run's status is read now, as it can change.
// Run inside the audit's snapshot, so they agree with the members and findings it reads.

/** Every computed check of the version's members, now. */
export async function memberIssues(sql: Sql, key: DatasetVersionKey): Promise<ComputedChecks> {
  const params = [key.datasetId, key.version];
  const [issues, failed] = await Promise.all([
    sql.query<{ issue: string; member_ids: string[]; tool_ids: string[] }>(
      `SELECT issue, array_agg(DISTINCT member_id COLLATE "C") AS member_ids,
              array_agg(DISTINCT tool_id COLLATE "C") AS tool_ids
       FROM dataset_member_issues WHERE dataset_id = $1 AND version = $2
       GROUP BY issue`,
      params,
    ),
    failedRunMembers(sql, key),
  ]);
  const of = (issue: string) => issues.rows.find((row) => row.issue === issue);
  return {
    unknownTrajectoryIds: of('unknown_trajectory')?.member_ids ?? [],
    unknownTaskIds: of('unknown_task')?.member_ids ?? [],
    rejectedIds: of('rejected')?.member_ids ?? [],
    failedRunMemberIds: failed.memberIds,
    failedRunIds: failed.runIds,
    unregisteredToolIds: of('unregistered_tool')?.tool_ids ?? [],
    unregisteredToolMemberIds: of('unregistered_tool')?.member_ids ?? [],
  };
}

/** The version's synthesis runs that failed, then (only if any) their members in it. */
async function failedRunMembers(
  sql: Sql,
  key: DatasetVersionKey,
): Promise<{ runIds: string[]; memberIds: string[] }> {
  const { rows } = await sql.query<{ run_ids: string[] }>(
    `SELECT coalesce(array_agg(r.synthesis_run_id ORDER BY r.synthesis_run_id COLLATE "C"), '{}') AS run_ids
     FROM dataset_version_runs r JOIN synthesis_runs s USING (synthesis_run_id)
     WHERE r.dataset_id = $1 AND r.version = $2 AND r.members > 0 AND s.completed_status = 'failed'`,
    [key.datasetId, key.version],
  );
  const runIds = rows[0].run_ids;
  if (runIds.length === 0) return { runIds, memberIds: [] };
  // A run's trajectories by its index, each probed in the version's members by primary key.
  const { rows: members } = await sql.query<{ member_ids: string[] }>(
    `SELECT coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C"), '{}') AS member_ids
     FROM trajectories t
     JOIN dataset_members m
       ON m.dataset_id = $1 AND m.version = $2 AND m.member_id = t.trajectory_id
     WHERE t.synthesis_run_id = ANY ($3::text[]) AND m.member_kind = 'trajectory'`,
    [key.datasetId, key.version, runIds],
  );
  return { runIds, memberIds: members[0].member_ids };
}
