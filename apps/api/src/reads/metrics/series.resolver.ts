import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { RewardKind } from './reward-kind.model';
import { RewardSeries } from './reward-series.model';
import { rewardSeries } from './reward-series.query';
import { RolloutSeries } from './rollout-series.model';
import { rolloutSeries } from './rollout-series.query';
import { MAX_POINTS, seriesRequest } from './series-arguments';

const RUN_DESCRIPTION = 'One run; give this or `runs`.';
const RUNS_DESCRIPTION = 'Up to 20 runs, answered in this order; give this or `rlRunId`.';
const MAX_POINTS_DESCRIPTION = `At most this many buckets (1..${MAX_POINTS.max}): each ceil((toStep - fromStep + 1) / maxPoints) steps wide, aligned at fromStep.`;

/** Metric series over steps, read from the block rollups (one statement per request). */
@Resolver()
export class SeriesResolver {
  @Query(() => [RewardSeries], {
    description:
      'Reward statistics per bucket of steps, per run: count, mean, population std, min, max, pass rate, hack-flag rate, each the exact summary of its bucket. Without fromStep/toStep the range spans the first to last step with rewards in any of the runs (whatever the domain/kind filter, so filtered series share the grid). Steps without rewards give no point.',
  })
  rewardSeries(
    @Context() { loaders }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true, description: RUN_DESCRIPTION })
    rlRunId?: string,
    @Args('runs', { type: () => [ID], nullable: true, description: RUNS_DESCRIPTION })
    runs?: string[],
    @Args('domain', { nullable: true, description: 'Only this domain; null: all domains.' })
    domain?: string,
    @Args('kind', {
      type: () => RewardKind,
      nullable: true,
      description: 'Only this kind; null: all kinds.',
    })
    kind?: RewardKind,
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
    @Args('maxPoints', {
      type: () => Int,
      nullable: true,
      defaultValue: MAX_POINTS.default,
      description: MAX_POINTS_DESCRIPTION,
    })
    maxPoints?: number | null,
  ): Promise<RewardSeries[]> {
    const request = seriesRequest({ rlRunId, runs, fromStep, toStep, maxPoints });
    return rewardSeries(loaders.pool, request, { domain: domain ?? null, kind: kind ?? null });
  }

  @Query(() => [RolloutSeries], {
    description:
      'Rollout statistics per bucket of steps, per run: rollouts, response tokens (mean, max, approximate p95), finish reasons and the truncation, repeat and abort rates, mean turns and tool calls, share of continued partial rollouts. Range and buckets as in rewardSeries (from the steps with rollouts).',
  })
  rolloutSeries(
    @Context() { loaders }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true, description: RUN_DESCRIPTION })
    rlRunId?: string,
    @Args('runs', { type: () => [ID], nullable: true, description: RUNS_DESCRIPTION })
    runs?: string[],
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
    @Args('maxPoints', {
      type: () => Int,
      nullable: true,
      defaultValue: MAX_POINTS.default,
      description: MAX_POINTS_DESCRIPTION,
    })
    maxPoints?: number | null,
  ): Promise<RolloutSeries[]> {
    return rolloutSeries(
      loaders.pool,
      seriesRequest({ rlRunId, runs, fromStep, toStep, maxPoints }),
    );
  }
}
