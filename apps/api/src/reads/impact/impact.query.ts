import type { Pool } from 'pg';
import type { CheckpointRow } from '../checkpoints/checkpoint.model';
import type { Judge, RunImpact } from './impact.model';

/** The rollup (and reward) columns that name a judge, with their values. */
export function judgeColumns(judge: Judge): Record<string, string> {
  return judge.kind === 'verifier'
    ? { verifier_name: judge.name, verifier_version: judge.version }
    : { critic_version_id: judge.id };
}

/**
 * Per RL run, what a judge scored: one query over the reward rollups (keyed by judge, indexed),
 * so the cost follows runs x steps x domains, not the number of rewards. Runs in start order
 * (unknown runs, whose rl.started has not arrived, last).
 */
export async function runImpacts(pool: Pool, judge: Judge): Promise<RunImpact[]> {
  const columns = judgeColumns(judge);
  const conditions = Object.keys(columns).map((column, index) => `r.${column} = $${index + 1}`);
  const { rows } = await pool.query<{
    rl_run_id: string;
    reward_count: string;
    step_count: string;
    first_step: number;
    last_step: number;
    domains: string[];
    kinds: string[];
  }>(
    `SELECT r.rl_run_id, sum(r.count) AS reward_count, count(DISTINCT r.step) AS step_count,
            min(r.step) AS first_step, max(r.step) AS last_step,
            array_agg(DISTINCT r.domain ORDER BY r.domain) AS domains,
            array_agg(DISTINCT r.kind ORDER BY r.kind) AS kinds
     FROM reward_rollups r
     LEFT JOIN rl_runs run ON run.rl_run_id = r.rl_run_id
     WHERE ${conditions.join(' AND ')}
     GROUP BY r.rl_run_id, run.position
     ORDER BY run.position NULLS LAST, r.rl_run_id`,
    Object.values(columns),
  );
  return rows.map((row) => ({
    rlRunId: row.rl_run_id,
    rewardCount: Number(row.reward_count),
    stepCount: Number(row.step_count),
    firstStep: row.first_step,
    lastStep: row.last_step,
    domains: row.domains,
    kinds: row.kinds,
  }));
}

/**
 * Checkpoints of each run saved at or after a step (a checkpoint at step s includes the update
 * of step s, which used the rewards of step s): one query for all runs, in step order.
 */
export async function checkpointsFromStep(
  pool: Pool,
  keys: ReadonlyArray<{ rlRunId: string; fromStep: number }>,
): Promise<CheckpointRow[][]> {
  const { rows } = await pool.query<CheckpointRow & { key: string }>(
    `SELECT k.key, c.*
     FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS k(rl_run_id, from_step, key)
     JOIN checkpoints c ON c.rl_run_id = k.rl_run_id AND c.step >= k.from_step
     ORDER BY k.key, c.step, c.position`,
    [keys.map((key) => key.rlRunId), keys.map((key) => key.fromStep)],
  );
  const results: CheckpointRow[][] = keys.map(() => []);
  for (const row of rows) results[Number(row.key) - 1].push(row);
  return results;
}
