import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { GroupSeries } from './group-series.model';
import { groupSeries } from './group-series.query';
import { RewardKind } from './reward-kind.model';
import { MAX_POINTS, seriesRequest } from './series-arguments';

@Resolver(() => GroupSeries)
export class GroupSeriesResolver {
  @Query(() => [GroupSeries], {
    description:
      'Prompt-group statistics per step (groups, zero-variance share, pass@k share, mean group size) of one run (`rlRunId`) or several (`runs`), one series per run, reward kind and domain, merged exactly into at most `maxPoints` buckets of ceil(span / maxPoints) steps aligned at `fromStep` (else the first step with data).',
  })
  groupSeries(
    @Context() { loaders }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('runs', { type: () => [ID], nullable: true }) runs?: string[],
    @Args('kind', { type: () => RewardKind, nullable: true, description: 'All kinds if absent.' })
    kind?: RewardKind,
    @Args('domain', { nullable: true, description: 'All domains if absent.' }) domain?: string,
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
    @Args('maxPoints', { type: () => Int, defaultValue: MAX_POINTS.default }) maxPoints?: number,
  ): Promise<GroupSeries[]> {
    return groupSeries(
      loaders.pool,
      seriesRequest({ rlRunId, runs, fromStep, toStep, maxPoints }),
      { kind: kind ?? null, domain: domain ?? null },
    );
  }
}
