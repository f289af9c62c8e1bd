import type { Pool } from 'pg';

/** How many of one kind a tool reaches, and the first ids in code point order. */
export interface Reached {
  count: number;
  ids: string[];
}

export interface ToolReach {
  tools: Reached;
  agents: Reached;
  tasks: Reached;
  trajectories: Reached;
  datasetVersions: Array<{ datasetId: string; version: number }>;
  runs: Array<{
    rlRunId: string;
    rolloutCount: number;
    firstStep: number | null;
    lastStep: number | null;
    trainsOn: Array<{ datasetId: string; version: number }>;
  }>;
}

// Stored edges carry typed ids; these strip the `KIND:` prefix.
const id = (column: string, kind: string) => `substr(${column}, ${kind.length + 2})`;

/**
 * Everything downstream of a tool, set-based over the indexed edges in one statement: the tools
 * evolved from it (transitively), the agents using any of them, those agents' tasks, the
 * trajectories calling the tools or run by the agents or on the tasks, the dataset versions
 * containing those trajectories, and the RL runs training on those versions or rolling out
 * those tasks (rollout_links: counts and step ranges, not a scan of the rollouts).
 */
export async function toolReach(pool: Pool, toolId: string, sample: number): Promise<ToolReach> {
  const { rows } = await pool.query<{
    kind: string;
    count: string;
    ids: string[] | null;
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
     )
     SELECT kind, count(*) AS count,
            CASE WHEN kind = 'dataset_version' THEN array_agg(node ORDER BY node COLLATE "C")
                 ELSE (array_agg(node ORDER BY node COLLATE "C"))[1:$2::int] END AS ids
     FROM sets GROUP BY kind`,
    [toolId, sample],
  );
  const reached = (kind: string): Reached => {
    const row = rows.find((candidate) => candidate.kind === kind);
    const prefix = kind.length + 1;
    return row
      ? { count: Number(row.count), ids: (row.ids ?? []).map((node) => node.slice(prefix)) }
      : { count: 0, ids: [] };
  };
  const versionNodes = reached('dataset_version').ids;
  const datasetVersions = versionNodes.map((node) => {
    const at = node.lastIndexOf('@');
    return { datasetId: node.slice(0, at), version: Number(node.slice(at + 1)) };
  });
  const taskNodes = await allTaskNodes(pool, toolId);
  const { rows: runs } = await pool.query<{
    rl_run_id: string;
    rollout_count: string;
    first_step: number | null;
    last_step: number | null;
    trains_on: string[] | null;
  }>(
    `WITH by_rollouts AS (
       SELECT rl_run_id, sum(count) AS rollout_count, min(first_step) AS first_step, max(last_step) AS last_step
       FROM rollout_links WHERE target = ANY($1::text[]) GROUP BY rl_run_id
     ),
     by_training AS (
       SELECT ${id('e.src', 'rl_run')} AS rl_run_id, array_agg(${id('e.dst', 'dataset_version')} ORDER BY e.dst) AS trains_on
       FROM lineage_edges e WHERE e.relation = 'trains_on' AND e.dst = ANY($2::text[])
       GROUP BY e.src
     )
     SELECT coalesce(r.rl_run_id, t.rl_run_id) AS rl_run_id, coalesce(r.rollout_count, 0) AS rollout_count,
            r.first_step, r.last_step, t.trains_on
     FROM by_rollouts r FULL JOIN by_training t ON t.rl_run_id = r.rl_run_id
     ORDER BY 1`,
    [taskNodes, versionNodes.map((node) => `dataset_version:${node}`)],
  );
  return {
    tools: reached('tool'),
    agents: reached('agent'),
    tasks: reached('task'),
    trajectories: reached('trajectory'),
    datasetVersions,
    runs: runs.map((row) => ({
      rlRunId: row.rl_run_id,
      rolloutCount: Number(row.rollout_count),
      firstStep: row.first_step,
      lastStep: row.last_step,
      trainsOn: (row.trains_on ?? []).map((node) => {
        const at = node.lastIndexOf('@');
        return { datasetId: node.slice(0, at), version: Number(node.slice(at + 1)) };
      }),
    })),
  };
}

/** Every task node the tool reaches (not only the sample): the rollout links are keyed by them. */
async function allTaskNodes(pool: Pool, toolId: string): Promise<string[]> {
  const { rows } = await pool.query<{ node: string }>(
    `WITH RECURSIVE tools (node) AS (
       SELECT 'tool:' || $1::text
       UNION
       SELECT e.src FROM lineage_edges e JOIN tools t ON e.dst = t.node AND e.relation = 'evolved_from'
     )
     SELECT DISTINCT t.src AS node FROM lineage_edges a
     JOIN lineage_edges t ON t.dst = a.src AND t.relation = 'for' AND t.src LIKE 'task:%'
     WHERE a.relation = 'uses' AND a.dst IN (SELECT node FROM tools)`,
    [toolId],
  );
  return rows.map((row) => row.node);
}
