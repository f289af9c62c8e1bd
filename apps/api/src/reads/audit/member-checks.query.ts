import type { Sql } from '@tracker/read-model';
import { cutConditionSql, cutParams, type MemberCut } from '../datasets/member-cut.sql';
import type { ComputedChecks } from './audit-findings';

// The computed checks of an audit, worked out from the cut's members at query time: what an
// as-of audit needs (trajectories, tasks and tools count only if journaled by then, a run's
// status is its last synthesis.completed journaled by then). A current audit reads what the
// projector keeps instead (member-issues.query.ts); both give the same answer for the same
// state, which a test checks. Member id lists come back sorted by code point.

/** SQL: the row (alias, with a position column) was journaled at or before the cut's asOf. */
function journaledByCut(cut: MemberCut, alias: string): string {
  return cut.asOf
    ? `EXISTS (SELECT 1 FROM event_journal j
               WHERE j.position = ${alias}.position AND j.projected_at <= $4::timestamptz)`
    : 'true';
}

/** SQL: the ids of synthesis runs that had failed (at the cut's asOf, or now). */
function failedRunsSql(cut: MemberCut): string {
  if (!cut.asOf)
    return `SELECT synthesis_run_id FROM synthesis_runs WHERE completed_status = 'failed'`;
  // A run's status is its last completion; only runs completed now can have completed then.
  return `SELECT s.synthesis_run_id FROM synthesis_runs s
          CROSS JOIN LATERAL (
            SELECT j.envelope -> 'data' ->> 'status' AS status FROM event_journal j
            WHERE j.subject = 'synthesis:' || s.synthesis_run_id AND j.type = 'synthesis.completed'
              AND j.projected_at <= $4::timestamptz
            ORDER BY j.position DESC LIMIT 1) last_completion
          WHERE s.completed_status IS NOT NULL AND last_completion.status = 'failed'`;
}

/** Every computed check of the cut's members: trajectories are probed once, tasks apart. */
export async function computeMemberChecks(sql: Sql, cut: MemberCut): Promise<ComputedChecks> {
  const [trajectories, unknownTaskIds] = await Promise.all([
    checkTrajectoryMembers(sql, cut),
    unknownTaskMembers(sql, cut),
  ]);
  return { ...trajectories, unknownTaskIds };
}

type TrajectoryChecks = Omit<ComputedChecks, 'unknownTaskIds'>;

async function checkTrajectoryMembers(sql: Sql, cut: MemberCut): Promise<TrajectoryChecks> {
  const { rows } = await sql.query<{
    unknown_ids: string[];
    rejected_ids: string[];
    failed_run_member_ids: string[];
    failed_run_ids: string[];
    tool_ids: string[];
    tool_member_ids: string[];
  }>(
    `WITH failed AS (SELECT array_agg(synthesis_run_id) AS run_ids FROM (${failedRunsSql(cut)}) f),
     known AS (
       SELECT m.member_id, t.passed, t.synthesis_run_id, t.called_tool_ids FROM dataset_members m
       LEFT JOIN trajectories t ON t.trajectory_id COLLATE "C" = m.member_id COLLATE "C"
         AND ${journaledByCut(cut, 't')}
       WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'trajectory'
     ),
     unregistered AS (
       SELECT k.member_id, called.tool_id FROM known k
       CROSS JOIN LATERAL unnest(k.called_tool_ids) AS called (tool_id)
       WHERE NOT EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = called.tool_id
                         AND ${journaledByCut(cut, 'x')})
     )
     SELECT
       coalesce(array_agg(k.member_id ORDER BY k.member_id COLLATE "C") FILTER (WHERE k.passed IS NULL), '{}') AS unknown_ids,
       coalesce(array_agg(k.member_id ORDER BY k.member_id COLLATE "C") FILTER (WHERE NOT k.passed), '{}') AS rejected_ids,
       coalesce(array_agg(k.member_id ORDER BY k.member_id COLLATE "C")
         FILTER (WHERE k.synthesis_run_id = ANY (failed.run_ids)), '{}') AS failed_run_member_ids,
       coalesce(array_agg(DISTINCT k.synthesis_run_id COLLATE "C")
         FILTER (WHERE k.synthesis_run_id = ANY (failed.run_ids)), '{}') AS failed_run_ids,
       (SELECT coalesce(array_agg(DISTINCT tool_id COLLATE "C"), '{}') FROM unregistered) AS tool_ids,
       (SELECT coalesce(array_agg(DISTINCT member_id COLLATE "C"), '{}') FROM unregistered) AS tool_member_ids
     FROM known k CROSS JOIN failed`,
    cutParams(cut),
  );
  const [row] = rows;
  return {
    unknownTrajectoryIds: row.unknown_ids,
    rejectedIds: row.rejected_ids,
    failedRunMemberIds: row.failed_run_member_ids,
    failedRunIds: row.failed_run_ids,
    unregisteredToolIds: row.tool_ids,
    unregisteredToolMemberIds: row.tool_member_ids,
  };
}

/** Task members with no task row (then). */
async function unknownTaskMembers(sql: Sql, cut: MemberCut): Promise<string[]> {
  const { rows } = await sql.query<{ unknown_ids: string[] }>(
    `SELECT coalesce(array_agg(m.member_id ORDER BY m.member_id COLLATE "C"), '{}') AS unknown_ids
     FROM dataset_members m
     WHERE ${cutConditionSql(cut, 'm')} AND m.member_kind = 'task'
       AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.task_id COLLATE "C" = m.member_id COLLATE "C"
                       AND ${journaledByCut(cut, 'k')})`,
    cutParams(cut),
  );
  return rows[0].unknown_ids;
}
