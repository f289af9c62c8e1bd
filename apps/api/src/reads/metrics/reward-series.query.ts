import { SERIES_SPANS } from '@tracker/read-model';
import type { Pool } from 'pg';
import type { RewardKind } from './reward-kind.model';
import { rewardPointColumnsSql, toRewardPoint, type RewardPointRow } from './reward-point.sql';
import type { RewardSeries } from './reward-series.model';
import type { SeriesRequest } from './series-arguments';
import { seriesOfRuns, type BucketRow } from './series-of-runs';
import { querySeries } from './series-statement';
import { stepBucketPieces } from './step-buckets.sql';

export interface RewardFilter {
  readonly domain: string | null;
  readonly kind: RewardKind | null;
}

/**
 * Which rows of reward_block_rollups a filter reads (parameters from $6): the row over all
 * domains and kinds (domain and kind '') when there is no filter, else the (domain, kind) rows
 * that match it.
 */
function keyFilter({ domain, kind }: RewardFilter, params: unknown[]): string {
  const conditions: string[] = [];
  if (domain !== null) {
    params.push(domain);
    conditions.push(`t.domain = $${params.length}`);
  }
  if (kind !== null) {
    params.push(kind);
    conditions.push(`t.kind = $${params.length}`);
  } else {
    conditions.push(domain === null ? `t.domain = '' AND t.kind = ''` : `t.kind <> ''`);
  }
  return conditions.join(' AND ');
}

type RewardRow = BucketRow & RewardPointRow;

/**
 * Reward series of runs, one statement: the block rollups tiling each bucket (see
 * step-buckets.sql) are merged exactly (counts and numeric sums added, min of mins, max of
 * maxes); mean and std are worked out in numeric and cast to float8 at the end.
 */
export async function rewardSeries(
  pool: Pool,
  request: SeriesRequest,
  filter: RewardFilter,
): Promise<RewardSeries[]> {
  const params: unknown[] = [
    request.runs,
    request.fromStep,
    request.toStep,
    request.maxPoints,
    SERIES_SPANS,
  ];
  const pieces = stepBucketPieces(
    'reward_block_rollups',
    [
      'count',
      'sum',
      'sum_squares',
      'min',
      'max',
      'verifiable_count',
      'pass_count',
      'hack_flagged_count',
    ],
    keyFilter(filter, params),
  );
  const rows = await querySeries<RewardRow>(
    pool,
    `WITH ${pieces}
     SELECT b.lo, b.hi, b.width, p.ord, p.bucket, ${rewardPointColumnsSql('p')}
     FROM bounds b LEFT JOIN (
       SELECT ord, bucket, sum(count) AS count, sum(sum) AS sum, sum(sum_squares) AS sum_squares,
              min(min) AS min, max(max) AS max, sum(verifiable_count) AS verifiable_count,
              sum(pass_count) AS pass_count, sum(hack_flagged_count) AS hack_flagged_count
       FROM pieces GROUP BY ord, bucket
     ) p ON true
     ORDER BY p.ord, p.bucket`,
    params,
  );
  return seriesOfRuns(request.runs, rows, toRewardPoint);
}
