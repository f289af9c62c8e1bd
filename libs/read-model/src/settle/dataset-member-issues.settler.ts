import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';
import type { JournalRange, Settler } from './settler';

// Keeps dataset_member_issues and dataset_version_runs (see their migration) as members,
// trajectories, tasks and tools arrive in any order. Members in the range meet every visible
// trajectory, task and tool; trajectories in the range meet members journaled before it; tasks
// and tools in the range resolve what was missing them.

export const datasetMemberIssuesSettler: Settler = {
  types: new Set<EventType>([
    'dataset.members.added',
    'trajectory.recorded',
    'task.defined',
    'tool.registered',
  ]),
  async settle(sql: Sql, range: JournalRange, types: ReadonlySet<EventType>): Promise<void> {
    const params = [range.first, range.last];
    if (types.has('dataset.members.added')) {
      await sql.query(NEW_MEMBER_ISSUES, params);
      await sql.query(NEW_MEMBER_RUNS, params);
    }
    if (types.has('trajectory.recorded')) await sql.query(NEW_TRAJECTORIES_MEET_MEMBERS, params);
    if (types.has('task.defined')) await sql.query(NEW_TASKS_RESOLVE, params);
    if (types.has('tool.registered')) await sql.query(NEW_TOOLS_RESOLVE, params);
  },
};

// $1, $2: the range. New members, against every trajectory, task and tool visible now.
const NEW_MEMBER_ISSUES = `
  WITH fresh AS (
    SELECT m.dataset_id, m.version, m.member_id, m.member_kind FROM dataset_members m
    WHERE m.position BETWEEN $1::bigint AND $2::bigint
  )
  INSERT INTO dataset_member_issues (dataset_id, version, issue, member_id, tool_id)
  SELECT f.dataset_id, f.version, 'unknown_trajectory', f.member_id, '' FROM fresh f
  WHERE f.member_kind = 'trajectory'
    AND NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.trajectory_id = f.member_id)
  UNION ALL
  SELECT f.dataset_id, f.version, 'unknown_task', f.member_id, '' FROM fresh f
  WHERE f.member_kind = 'task' AND NOT EXISTS (SELECT 1 FROM tasks k WHERE k.task_id = f.member_id)
  UNION ALL
  SELECT f.dataset_id, f.version, 'rejected', f.member_id, '' FROM fresh f
  JOIN trajectories t ON t.trajectory_id = f.member_id
  WHERE f.member_kind = 'trajectory' AND NOT t.passed
  UNION ALL
  SELECT f.dataset_id, f.version, 'unregistered_tool', f.member_id, called.tool_id FROM fresh f
  JOIN trajectories t ON t.trajectory_id = f.member_id
  CROSS JOIN LATERAL unnest(t.called_tool_ids) AS called (tool_id)
  WHERE f.member_kind = 'trajectory'
    AND NOT EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = called.tool_id)
  ON CONFLICT DO NOTHING`;

const NEW_MEMBER_RUNS = `
  INSERT INTO dataset_version_runs AS r (dataset_id, version, synthesis_run_id, members)
  SELECT m.dataset_id, m.version, t.synthesis_run_id, count(*) FROM dataset_members m
  JOIN trajectories t ON t.trajectory_id = m.member_id
  WHERE m.position BETWEEN $1::bigint AND $2::bigint AND m.member_kind = 'trajectory'
  GROUP BY 1, 2, 3
  ON CONFLICT (dataset_id, version, synthesis_run_id)
  DO UPDATE SET members = r.members + excluded.members`;

// New trajectories (first recordings only: a repeated id keeps the first row and its position)
// meeting members journaled before the range; members in the range were met above.
const NEW_TRAJECTORIES_MEET_MEMBERS = `
  WITH met AS (
    SELECT m.dataset_id, m.version, m.member_id, t.passed, t.called_tool_ids, t.synthesis_run_id
    FROM trajectories t
    JOIN dataset_members m ON m.member_id = t.trajectory_id
    WHERE t.position BETWEEN $1::bigint AND $2::bigint
      AND m.member_kind = 'trajectory' AND m.position < $1::bigint
  ), resolved AS (
    DELETE FROM dataset_member_issues i USING met
    WHERE i.dataset_id = met.dataset_id AND i.version = met.version
      AND i.issue = 'unknown_trajectory' AND i.member_id = met.member_id
  ), runs AS (
    INSERT INTO dataset_version_runs AS r (dataset_id, version, synthesis_run_id, members)
    SELECT dataset_id, version, synthesis_run_id, count(*) FROM met GROUP BY 1, 2, 3
    ON CONFLICT (dataset_id, version, synthesis_run_id)
    DO UPDATE SET members = r.members + excluded.members
  )
  INSERT INTO dataset_member_issues (dataset_id, version, issue, member_id, tool_id)
  SELECT dataset_id, version, 'rejected', member_id, '' FROM met WHERE NOT passed
  UNION ALL
  SELECT met.dataset_id, met.version, 'unregistered_tool', met.member_id, called.tool_id FROM met
  CROSS JOIN LATERAL unnest(met.called_tool_ids) AS called (tool_id)
  WHERE NOT EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = called.tool_id)
  ON CONFLICT DO NOTHING`;

const NEW_TASKS_RESOLVE = `
  DELETE FROM dataset_member_issues i USING tasks k
  WHERE k.position BETWEEN $1::bigint AND $2::bigint
    AND i.issue = 'unknown_task' AND i.member_id = k.task_id`;

const NEW_TOOLS_RESOLVE = `
  DELETE FROM dataset_member_issues i USING tools x
  WHERE x.position BETWEEN $1::bigint AND $2::bigint
    AND i.issue = 'unregistered_tool' AND i.tool_id = x.tool_id`;
