import type { RewardPoint } from './reward-series.model';

/**
 * SQL of a reward point's figures from summed rollup columns of `alias` (count, sum,
 * sum_squares, min, max, verifiable_count, pass_count, hack_flagged_count): mean and std worked
 * out in numeric, cast to float8 at the end.
 */
export const rewardPointColumnsSql = (alias: string) =>
  `${alias}.count::text AS count, (${alias}.sum / ${alias}.count)::float8 AS mean,
   sqrt((${alias}.count * ${alias}.sum_squares - ${alias}.sum * ${alias}.sum)
        / (${alias}.count * ${alias}.count))::float8 AS std,
   ${alias}.min, ${alias}.max,
   ${alias}.pass_count::float8 / NULLIF(${alias}.verifiable_count, 0)::float8 AS pass_rate,
   ${alias}.hack_flagged_count::float8 / ${alias}.count::float8 AS hack_flagged_rate`;

/** What {@link rewardPointColumnsSql} selects. */
export interface RewardPointRow {
  count: string;
  mean: number;
  std: number;
  min: number;
  max: number;
  pass_rate: number | null;
  hack_flagged_rate: number;
}

export const toRewardPoint = (
  row: RewardPointRow,
  range: { fromStep: number; toStep: number },
): RewardPoint => ({
  ...range,
  count: Number(row.count),
  mean: row.mean,
  std: row.std,
  min: row.min,
  max: row.max,
  passRate: row.pass_rate,
  hackFlaggedRate: row.hack_flagged_rate,
});
