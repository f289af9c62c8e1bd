import type { Pool } from 'pg';
import { cutConditionSql, cutParams, nextParam, type MemberCut } from '../datasets/member-cut.sql';

// The checks of an audit that read the current read model rather than the dataset's own events.
// Each is one set-based statement over the cut's members, in code point order (the members'
// index); trajectories and tasks are probed through their COLLATE "C" indexes, index-only.
// Member id lists come back sorted by code point.

export interface TrajectoryMemberChecks {
  /** Trajectory members with no trajectory row. */
  unknownIds: string[];
  /** Trajectory members whose judgement has passed = false. */
  rejectedIds: string[];
  /** Trajectory members from a synthesis run whose completed status is failed, and those runs. */
  failedRunMemberIds: string[];
  failedRunIds: string[];
}

export async function checkTrajectoryMembers(
  pool: Pool,
  cut: MemberCut,
): Promise<TrajectoryMemberChecks> {
  const { rows } = await pool.query<{
    unknown_ids: string[];
    rejected_ids: string[];
    failed_run_member_ids: string[];
    failed_run_ids: string[];
  }>(
    `WITH failed AS (
       SELECT array_agg(synthesis_run_id) AS run_ids FROM synthesis_runs WHERE completed_status = 'failed'
     )
     SELECT
       coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C") FILTER (WHERE t.trajectory_id IS NULL), '{}') AS unknown_ids,
       coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C") FILTER (WHERE NOT t.passed), '{}') AS rejected_ids,
       coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C")
         FILTER (WHERE t.synthesis_run_id = ANY (failed.run_ids)), '{}') AS failed_run_member_ids,
       coalesce(array_agg(DISTINCT t.synthesis_run_id COLLATE "C")
         FILTER (WHERE t.synthesis_run_id = ANY (failed.run_ids)), '{}') AS failed_run_ids
     FROM dataset_members m
     CROSS JOIN failed
     LEFT JOIN trajectories t ON t.trajectory_id COLLATE "C" = m.member_id COLLATE "C"
     WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'trajectory'`,
    cutParams(cut),
  );
  return {
    unknownIds: rows[0].unknown_ids,
    rejectedIds: rows[0].rejected_ids,
    failedRunMemberIds: rows[0].failed_run_member_ids,
    failedRunIds: rows[0].failed_run_ids,
  };
}

/** Task members with no task row. */
export async function unknownTaskMembers(pool: Pool, cut: MemberCut): Promise<string[]> {
  const { rows } = await pool.query<{ unknown_ids: string[] }>(
    `SELECT coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C"), '{}') AS unknown_ids
     FROM dataset_members m
     WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'task'
       AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.task_id COLLATE "C" = m.member_id COLLATE "C")`,
    cutParams(cut),
  );
  return rows[0].unknown_ids;
}

export interface UnregisteredToolCalls {
  /** Tool ids called by trajectory members that have no tools row. */
  toolIds: string[];
  /** The trajectory members calling at least one of them. */
  memberIds: string[];
}

/**
 * Tools called by the cut's trajectory members that were never registered, then (only if
 * there are any) the members calling them. The tool lists live in the trajectory rows, so
 * these two statements read the table itself.
 */
export async function unregisteredToolCalls(
  pool: Pool,
  cut: MemberCut,
): Promise<UnregisteredToolCalls> {
  const { rows } = await pool.query<{ tool_ids: string[] }>(
    `SELECT coalesce(array_agg(called.tool_id ORDER BY called.tool_id COLLATE "C"), '{}') AS tool_ids
     FROM (
       SELECT DISTINCT unnest(t.called_tool_ids) AS tool_id
       FROM dataset_members m
       JOIN trajectories t ON t.trajectory_id COLLATE "C" = m.member_id COLLATE "C"
       WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'trajectory'
     ) called
     WHERE NOT EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = called.tool_id)`,
    cutParams(cut),
  );
  const toolIds = rows[0].tool_ids;
  if (toolIds.length === 0) return { toolIds, memberIds: [] };
  const toolsParam = `$${nextParam(cut)}::text[]`;
  const { rows: members } = await pool.query<{ member_ids: string[] }>(
    `SELECT coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C"), '{}') AS member_ids
     FROM dataset_members m
     JOIN trajectories t ON t.trajectory_id COLLATE "C" = m.member_id COLLATE "C"
     WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'trajectory'
       AND t.called_tool_ids && ${toolsParam}`,
    [...cutParams(cut), toolIds],
  );
  return { toolIds, memberIds: members[0].member_ids };
}
