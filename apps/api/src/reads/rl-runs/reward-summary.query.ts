import type { Pool } from 'pg';
import type { RewardSummary, VerifierUsage } from './rl-run.model';

export interface StepRange {
  fromStep?: number | null;
  toStep?: number | null;
}

/** Per domain and kind, merged from the per-step rollups (never from raw rewards). */
export async function rewardSummaries(
  pool: Pool,
  keys: ReadonlyArray<{ rlRunId: string } & StepRange>,
): Promise<RewardSummary[][]> {
  const { rows } = await pool.query<{
    key: number;
    domain: string;
    kind: string;
    count: string;
    sum: string;
    sum_squares: string;
    min: number;
    max: number;
    pass_count: string;
    hack_flagged_count: string;
    first_step: number;
    last_step: number;
  }>(
    `SELECT k.key, r.domain, r.kind, sum(r.count) AS count, sum(r.sum) AS sum, sum(r.sum_squares) AS sum_squares,
            min(r.min) AS min, max(r.max) AS max, sum(r.pass_count) AS pass_count,
            sum(r.hack_flagged_count) AS hack_flagged_count, min(r.step) AS first_step, max(r.step) AS last_step
     FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS k(rl_run_id, from_step, to_step, key)
     JOIN reward_rollups r ON r.rl_run_id = k.rl_run_id
       AND (k.from_step IS NULL OR r.step >= k.from_step) AND (k.to_step IS NULL OR r.step <= k.to_step)
     GROUP BY k.key, r.domain, r.kind
     ORDER BY k.key, r.domain, r.kind`,
    [
      keys.map((key) => key.rlRunId),
      keys.map((key) => key.fromStep ?? null),
      keys.map((key) => key.toStep ?? null),
    ],
  );
  const results: RewardSummary[][] = keys.map(() => []);
  for (const row of rows) {
    const count = Number(row.count);
    const mean = Number(row.sum) / count;
    const variance = Math.max(0, Number(row.sum_squares) / count - mean * mean);
    results[Number(row.key) - 1].push({
      domain: row.domain,
      kind: row.kind,
      count,
      mean,
      std: Math.sqrt(variance),
      min: row.min,
      max: row.max,
      passRate: row.kind === 'verifiable' ? Number(row.pass_count) / count : null,
      hackFlaggedRate: Number(row.hack_flagged_count) / count,
      firstStep: row.first_step,
      lastStep: row.last_step,
    });
  }
  return results;
}

/**
 * Which verifier versions produced the verifiable rewards of each run (optionally at one step or
 * over a range), from the rollups (keyed by judge): one query for all the runs of a request.
 */
export async function verifierUsages(
  pool: Pool,
  keys: ReadonlyArray<{ rlRunId: string } & StepRange & { step?: number | null }>,
): Promise<VerifierUsage[][]> {
  const { rows } = await pool.query<{
    key: string;
    verifier_name: string;
    verifier_version: string;
    domains: string[];
    reward_count: string;
    first_step: number;
    last_step: number;
  }>(
    `SELECT k.key, r.verifier_name, r.verifier_version, array_agg(DISTINCT r.domain ORDER BY r.domain) AS domains,
            sum(r.count) AS reward_count, min(r.step) AS first_step, max(r.step) AS last_step
     FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS k(rl_run_id, from_step, to_step, key)
     JOIN reward_rollups r ON r.rl_run_id = k.rl_run_id AND r.kind = 'verifiable' AND r.verifier_name <> ''
       AND (k.from_step IS NULL OR r.step >= k.from_step) AND (k.to_step IS NULL OR r.step <= k.to_step)
     GROUP BY k.key, r.verifier_name, r.verifier_version
     ORDER BY k.key, r.verifier_name, r.verifier_version`,
    [
      keys.map((key) => key.rlRunId),
      keys.map((key) => key.step ?? key.fromStep ?? null),
      keys.map((key) => key.step ?? key.toStep ?? null),
    ],
  );
  const results: VerifierUsage[][] = keys.map(() => []);
  for (const row of rows) {
    results[Number(row.key) - 1].push({
      name: row.verifier_name,
      version: row.verifier_version,
      domains: row.domains,
      rewardCount: Number(row.reward_count),
      firstStep: row.first_step,
      lastStep: row.last_step,
    });
  }
  return results;
}
