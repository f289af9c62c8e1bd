import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { GroupSeries } from './group-series.model';
import { groupSeries } from './group-series.query';
import { RewardKind } from './reward-kind.model';
import { seriesRequest } from './series-arguments';
import { SeriesRangeArgs } from './series-range.args';

@Resolver(() => GroupSeries)
export class GroupSeriesResolver {
  @Query(() => [GroupSeries], {
    description:
      'Prompt-group statistics per step (groups, zero-variance share, pass@k share, mean group size) of one run (`rlRunId`) or several (`runs`), one series per run, reward kind and domain, merged exactly into at most `maxPoints` buckets of ceil(span / maxPoints) steps aligned at `fromStep` (else the first step with data).',
  })
  groupSeries(
    @Context() { loaders }: GraphQLContext,
    @Args() range: SeriesRangeArgs,
    @Args('kind', { type: () => RewardKind, nullable: true, description: 'All kinds if absent.' })
    kind?: RewardKind,
    @Args('domain', { nullable: true, description: 'All domains if absent.' }) domain?: string,
  ): Promise<GroupSeries[]> {
    return groupSeries(loaders.pool, seriesRequest(range), {
      kind: kind ?? null,
      domain: domain ?? null,
    });
  }
}
