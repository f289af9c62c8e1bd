import type { Pool } from 'pg';

/** How many of one kind a tool reaches, and the first ids in code point order. */
export interface Reached {
  count: number;
  ids: string[];
}

interface DatasetVersionKey {
  datasetId: string;
  version: number;
}

export interface ToolReach {
  tools: Reached;
  agents: Reached;
  tasks: Reached;
  trajectories: Reached;
  datasetVersions: DatasetVersionKey[];
  runs: Array<{
    rlRunId: string;
    rolloutCount: number;
    firstStep: number | null;
    lastStep: number | null;
    trainsOn: DatasetVersionKey[];
  }>;
}

/** `dataset_version:ID@VERSION` (or `ID@VERSION`) taken apart at the last `@`. */
function datasetVersionKey(node: string): DatasetVersionKey {
  const id = node.startsWith('dataset_version:') ? node.slice('dataset_version:'.length) : node;
  const at = id.lastIndexOf('@');
  return { datasetId: id.slice(0, at), version: Number(id.slice(at + 1)) };
}

/**
 * Everything downstream of a tool, set-based over the indexed edges in one statement: the tools
 * evolved from it (transitively), the agents using any of them, those agents' tasks, the
 * trajectories calling the tools or run by the agents or on the tasks, the dataset versions
 * containing those trajectories, and the RL runs training on those versions or rolling out
 * those tasks (rollout_links: counts and step ranges, not a scan of the rollouts).
 */
export async function toolReach(pool: Pool, toolId: string, sample: number): Promise<ToolReach> {
  const { rows } = await pool.query<{
    sets: Array<{ kind: string; count: number; ids: string[] }> | null;
    runs: Array<{
      rl_run_id: string;
      rollout_count: number;
      first_step: number | null;
      last_step: number | null;
      trains_on: string[] | null;
    }> | null;
  }>(
    `WITH RECURSIVE
     tools (node) AS (
       SELECT 'tool:' || $1::text
       UNION
       SELECT e.src FROM lineage_edges e JOIN tools t ON e.dst = t.node AND e.relation = 'evolved_from'
     ),
     agents AS (
       SELECT DISTINCT e.src AS node FROM lineage_edges e
       WHERE e.relation = 'uses' AND e.dst IN (SELECT node FROM tools)
     ),
     tasks AS (
       SELECT DISTINCT e.src AS node FROM lineage_edges e
       WHERE e.relation = 'for' AND e.dst IN (SELECT node FROM agents) AND e.src LIKE 'task:%'
     ),
     trajectories AS (
       SELECT e.src AS node FROM lineage_edges e
       WHERE e.relation = 'calls' AND e.dst IN (SELECT node FROM tools)
       UNION
       SELECT e.src FROM lineage_edges e
       WHERE e.relation = 'by' AND e.dst IN (SELECT node FROM agents) AND e.src LIKE 'trajectory:%'
       UNION
       SELECT e.src FROM lineage_edges e
       WHERE e.relation = 'of' AND e.dst IN (SELECT node FROM tasks) AND e.src LIKE 'trajectory:%'
     ),
     versions AS (
       SELECT DISTINCT e.src AS node FROM lineage_edges e
       WHERE e.relation = 'contains' AND e.dst IN (SELECT node FROM trajectories)
     ),
     sets (kind, node) AS (
       SELECT 'tool', node FROM tools
       UNION ALL SELECT 'agent', node FROM agents
       UNION ALL SELECT 'task', node FROM tasks
       UNION ALL SELECT 'trajectory', node FROM trajectories
       UNION ALL SELECT 'dataset_version', node FROM versions
     ),
     counted AS (
       SELECT kind, count(*) AS count,
              CASE WHEN kind = 'dataset_version' THEN array_agg(node ORDER BY node COLLATE "C")
                   ELSE (array_agg(node ORDER BY node COLLATE "C"))[1:$2::int] END AS ids
       FROM sets GROUP BY kind
     ),
     by_rollouts AS (
       SELECT rl_run_id, sum(count) AS rollout_count, min(first_step) AS first_step, max(last_step) AS last_step
       FROM rollout_links WHERE target IN (SELECT node FROM tasks) GROUP BY rl_run_id
     ),
     by_training AS (
       SELECT substr(e.src, length('rl_run:') + 1) AS rl_run_id, array_agg(e.dst ORDER BY e.dst) AS trains_on
       FROM lineage_edges e WHERE e.relation = 'trains_on' AND e.dst IN (SELECT node FROM versions)
       GROUP BY e.src
     ),
     runs AS (
       SELECT coalesce(r.rl_run_id, t.rl_run_id) AS rl_run_id, coalesce(r.rollout_count, 0) AS rollout_count,
              r.first_step, r.last_step, t.trains_on
       FROM by_rollouts r FULL JOIN by_training t ON t.rl_run_id = r.rl_run_id
     )
     SELECT (SELECT json_agg(counted) FROM counted) AS sets,
            (SELECT json_agg(runs ORDER BY rl_run_id) FROM runs) AS runs`,
    [toolId, sample],
  );
  const { sets, runs } = rows[0];
  const reached = (kind: string): Reached => {
    const set = sets?.find((candidate) => candidate.kind === kind);
    const prefix = kind.length + 1;
    return set
      ? { count: Number(set.count), ids: set.ids.map((node) => node.slice(prefix)) }
      : { count: 0, ids: [] };
  };
  return {
    tools: reached('tool'),
    agents: reached('agent'),
    tasks: reached('task'),
    trajectories: reached('trajectory'),
    datasetVersions: reached('dataset_version').ids.map(datasetVersionKey),
    runs: (runs ?? []).map((run) => ({
      rlRunId: run.rl_run_id,
      rolloutCount: Number(run.rollout_count),
      firstStep: run.first_step,
      lastStep: run.last_step,
      trainsOn: (run.trains_on ?? []).map(datasetVersionKey),
    })),
  };
}
