import type { Pool } from 'pg';
import type { GroupSeries } from './group-series.model';
import type { SeriesRequest } from './series-arguments';
import { share } from './share';
import { BUCKET_START, bucketingCte, lastStepOf } from './summed-step-buckets.sql';

export interface GroupSeriesFilter {
  readonly kind: string | null;
  readonly domain: string | null;
}

/**
 * Per-step group statistics from group_step_stats (kept by the projector), merged into buckets
 * shared by all the series: one query, reading a few rows per step and series.
 */
export async function groupSeries(
  pool: Pool,
  request: SeriesRequest,
  filter: GroupSeriesFilter,
): Promise<GroupSeries[]> {
  const { rows } = await pool.query<{
    rl_run_id: string;
    kind: string;
    domain: string;
    bucket: string;
    first: string;
    last: string;
    width: string;
    groups: string;
    rewards: string;
    multi_reward_groups: string;
    zero_variance_groups: string;
    pass_groups: string;
  }>(
    `WITH runs AS (
       SELECT * FROM unnest($1::text[]) WITH ORDINALITY AS r (rl_run_id, run_order)
     ), scoped AS (
       SELECT runs.run_order, s.* FROM runs JOIN group_step_stats s USING (rl_run_id)
       WHERE ($4::bigint IS NULL OR s.step >= $4) AND ($5::bigint IS NULL OR s.step <= $5)
     ), picked AS (
       SELECT * FROM scoped
       WHERE ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR domain = $3)
     ), ${bucketingCte('scoped', '$4', '$5', '$6')}
     SELECT p.rl_run_id, p.kind, p.domain, ${BUCKET_START} AS bucket, b.first, b.last, b.width,
            sum(p.groups) AS groups, sum(p.rewards) AS rewards,
            sum(p.multi_reward_groups) AS multi_reward_groups,
            sum(p.zero_variance_groups) AS zero_variance_groups, sum(p.pass_groups) AS pass_groups
     FROM picked p CROSS JOIN bucketing b
     GROUP BY p.run_order, 1, 2, 3, 4, 5, 6, 7
     ORDER BY p.run_order, p.kind COLLATE "C", p.domain COLLATE "C", bucket`,
    [request.runs, filter.kind, filter.domain, request.fromStep, request.toStep, request.maxPoints],
  );
  const series: GroupSeries[] = [];
  for (const row of rows) {
    let current = series.at(-1);
    if (
      !current ||
      current.rlRunId !== row.rl_run_id ||
      current.kind !== row.kind ||
      current.domain !== row.domain
    ) {
      current = {
        rlRunId: row.rl_run_id,
        kind: row.kind,
        domain: row.domain,
        fromStep: Number(row.first),
        toStep: Number(row.last),
        bucketWidth: Number(row.width),
        points: [],
      };
      series.push(current);
    }
    const bucket = Number(row.bucket);
    const groups = Number(row.groups);
    const rewards = Number(row.rewards);
    const multi = Number(row.multi_reward_groups);
    const zeroVariance = Number(row.zero_variance_groups);
    const passGroups = Number(row.pass_groups);
    const verifiable = row.kind === 'verifiable';
    current.points.push({
      fromStep: bucket,
      toStep: lastStepOf(bucket, Number(row.width), Number(row.last)),
      groups,
      rewards,
      meanGroupSize: rewards / groups,
      multiRewardGroups: multi,
      zeroVarianceGroups: zeroVariance,
      zeroStdShare: share(zeroVariance, multi),
      passGroups: verifiable ? passGroups : null,
      passAtKShare: verifiable ? share(passGroups, groups) : null,
    });
  }
  return series;
}
