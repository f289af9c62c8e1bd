import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { RewardKind } from './reward-kind.model';
import { RewardSeries } from './reward-series.model';
import { rewardSeries } from './reward-series.query';
import { RolloutSeries } from './rollout-series.model';
import { rolloutSeries } from './rollout-series.query';
import { seriesRequest } from './series-arguments';
import { SeriesRangeArgs } from './series-range.args';

/** Metric series over steps, read from the block rollups (one statement per request). */
@Resolver()
export class SeriesResolver {
  @Query(() => [RewardSeries], {
    description:
      'Reward statistics per bucket of steps, per run: count, mean, population std, min, max, pass rate, hack-flag rate, each the exact summary of its bucket. Without fromStep/toStep the range spans the first to last step with rewards in any of the runs (whatever the domain/kind filter, so filtered series share the grid). Steps without rewards give no point.',
  })
  rewardSeries(
    @Context() { loaders }: GraphQLContext,
    @Args() range: SeriesRangeArgs,
    @Args('domain', { nullable: true, description: 'Only this domain; null: all domains.' })
    domain?: string,
    @Args('kind', {
      type: () => RewardKind,
      nullable: true,
      description: 'Only this kind; null: all kinds.',
    })
    kind?: RewardKind,
  ): Promise<RewardSeries[]> {
    return rewardSeries(loaders.pool, seriesRequest(range), {
      domain: domain ?? null,
      kind: kind ?? null,
    });
  }

  @Query(() => [RolloutSeries], {
    description:
      'Rollout statistics per bucket of steps, per run: rollouts, response tokens (mean, max, approximate p95), finish reasons and the truncation, repeat and abort rates, mean turns and tool calls, share of continued partial rollouts. Range and buckets as in rewardSeries (from the steps with rollouts).',
  })
  rolloutSeries(
    @Context() { loaders }: GraphQLContext,
    @Args() range: SeriesRangeArgs,
  ): Promise<RolloutSeries[]> {
    return rolloutSeries(loaders.pool, seriesRequest(range));
  }
}
