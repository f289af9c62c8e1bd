import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';
import type { JournalRange, Settler } from './settler';

// Keeps synthesis_funnels, synthesis_run_tasks and synthesis_run_tools (see the
// run-joined-metrics migration). Trajectory rows in the range are exactly the ones this
// transaction added (first recording wins), so their counts add once. Whether a called tool is
// registered joins two rows, the run's first call of the tool and the tool's registration: it
// counts in the transaction journaling the later one.

export const synthesisFunnelSettler: Settler = {
  types: new Set<EventType>(['trajectory.recorded', 'tool.registered']),
  async settle(sql: Sql, range: JournalRange, types: ReadonlySet<EventType>): Promise<void> {
    const params = [range.first, range.last];
    if (types.has('trajectory.recorded')) await sql.query(NEW_TRAJECTORIES, params);
    if (types.has('tool.registered')) await sql.query(NEW_TOOLS_MEET_CALLS, params);
  },
};

// $1, $2: the range. The INSERTs add only pairs not seen before (RETURNING lists them); the
// UPDATE flips tasks seen before, unpassed, to passed (it does not see the rows the INSERT adds).
// New called tools meet every visible registration, this transaction's included.
const NEW_TRAJECTORIES = `
  WITH fresh AS (
    SELECT synthesis_run_id, task_id, passed, called_tool_ids, position FROM trajectories
    WHERE position BETWEEN $1::bigint AND $2::bigint
  ), fresh_tasks AS (
    SELECT synthesis_run_id, task_id, bool_or(passed) AS passed FROM fresh GROUP BY 1, 2
  ), new_tasks AS (
    INSERT INTO synthesis_run_tasks (synthesis_run_id, task_id, passed)
    SELECT synthesis_run_id, task_id, passed FROM fresh_tasks
    ON CONFLICT (synthesis_run_id, task_id) DO NOTHING
    RETURNING synthesis_run_id, passed
  ), newly_passed AS (
    UPDATE synthesis_run_tasks k SET passed = true FROM fresh_tasks f
    WHERE k.synthesis_run_id = f.synthesis_run_id AND k.task_id = f.task_id
      AND f.passed AND NOT k.passed
    RETURNING k.synthesis_run_id
  ), new_tools AS (
    INSERT INTO synthesis_run_tools (synthesis_run_id, tool_id, position)
    SELECT f.synthesis_run_id, called.tool_id, min(f.position) FROM fresh f
    CROSS JOIN LATERAL unnest(f.called_tool_ids) AS called (tool_id)
    GROUP BY 1, 2
    ON CONFLICT (synthesis_run_id, tool_id) DO NOTHING
    RETURNING synthesis_run_id, tool_id
  ), deltas (synthesis_run_id, trajectories, passed_trajectories, tasks, passed_tasks,
             tools_called, tools_registered) AS (
    SELECT synthesis_run_id, count(*), count(*) FILTER (WHERE passed), 0, 0, 0, 0
    FROM fresh GROUP BY 1
    UNION ALL
    SELECT synthesis_run_id, 0, 0, 1, passed::int, 0, 0 FROM new_tasks
    UNION ALL
    SELECT synthesis_run_id, 0, 0, 0, 1, 0, 0 FROM newly_passed
    UNION ALL
    SELECT n.synthesis_run_id, 0, 0, 0, 0, 1,
           (EXISTS (SELECT 1 FROM tools x WHERE x.tool_id = n.tool_id))::int
    FROM new_tools n
  )
  INSERT INTO synthesis_funnels AS s
    (synthesis_run_id, trajectories, passed_trajectories, tasks, passed_tasks, tools_called,
     tools_registered)
  SELECT synthesis_run_id, sum(trajectories), sum(passed_trajectories), sum(tasks),
         sum(passed_tasks), sum(tools_called), sum(tools_registered)
  FROM deltas GROUP BY 1
  ON CONFLICT (synthesis_run_id) DO UPDATE SET
    trajectories = s.trajectories + EXCLUDED.trajectories,
    passed_trajectories = s.passed_trajectories + EXCLUDED.passed_trajectories,
    tasks = s.tasks + EXCLUDED.tasks,
    passed_tasks = s.passed_tasks + EXCLUDED.passed_tasks,
    tools_called = s.tools_called + EXCLUDED.tools_called,
    tools_registered = s.tools_registered + EXCLUDED.tools_registered`;

// Tools registered in the range meeting calls first seen before it (later calls met them above).
const NEW_TOOLS_MEET_CALLS = `
  WITH met AS (
    SELECT s.synthesis_run_id, count(*) AS tools FROM tools x
    JOIN synthesis_run_tools s ON s.tool_id = x.tool_id
    WHERE x.position BETWEEN $1::bigint AND $2::bigint AND s.position < $1::bigint
    GROUP BY 1
  )
  UPDATE synthesis_funnels f SET tools_registered = f.tools_registered + met.tools
  FROM met WHERE f.synthesis_run_id = met.synthesis_run_id`;
