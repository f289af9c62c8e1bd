import type { Pool } from 'pg';

/** An RL run downstream of a dataset version: trained on it, or started from such a run. */
export interface DatasetRunReach {
  rlRunId: string;
  /** Null when the run trains on the version itself; else the checkpoint it started from. */
  inheritedFrom: string | null;
}

// Runs reached through base checkpoints, hop after hop; bad data could make a cycle.
const MAX_HOPS = 100;

/**
 * RL runs downstream of a dataset version: those that train on it (trains_on edges), then,
 * transitively, runs whose base checkpoint was saved by an affected run (starts_from edges
 * to its checkpoints). One indexed query per hop.
 */
export async function datasetRunReach(
  pool: Pool,
  datasetId: string,
  version: number,
): Promise<DatasetRunReach[]> {
  const { rows: direct } = await pool.query<{ rl_run_id: string }>(
    `SELECT substr(src, length('rl_run:') + 1) AS rl_run_id FROM lineage_edges
     WHERE dst = $1 AND relation = 'trains_on' ORDER BY src`,
    [`dataset_version:${datasetId}@${version}`],
  );
  const reached: DatasetRunReach[] = direct.map((row) => ({
    rlRunId: row.rl_run_id,
    inheritedFrom: null,
  }));
  const seen = new Set(reached.map((run) => run.rlRunId));
  let frontier = [...seen];
  for (let hop = 0; frontier.length > 0 && hop < MAX_HOPS; hop++) {
    const { rows } = await pool.query<{ rl_run_id: string; checkpoint_id: string }>(
      `SELECT substr(e.src, length('rl_run:') + 1) AS rl_run_id, c.checkpoint_id
       FROM checkpoints c
       JOIN lineage_edges e ON e.dst = 'checkpoint:' || c.checkpoint_id AND e.relation = 'starts_from'
       WHERE c.rl_run_id = ANY($1::text[])
       ORDER BY e.src`,
      [frontier],
    );
    frontier = [];
    for (const row of rows) {
      if (seen.has(row.rl_run_id)) continue;
      seen.add(row.rl_run_id);
      reached.push({ rlRunId: row.rl_run_id, inheritedFrom: row.checkpoint_id });
      frontier.push(row.rl_run_id);
    }
  }
  return reached;
}
