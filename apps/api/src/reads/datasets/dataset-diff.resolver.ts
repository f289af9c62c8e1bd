import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiError } from '../../graphql/api-error';
import type { GraphQLContext } from '../../graphql/loaders';
import { DatasetDiff, DatasetDiffMemberConnection } from './dataset-diff.model';
import { diffCounts, pageDiffMembers } from './dataset-diff.query';

@Resolver(() => DatasetDiff)
export class DatasetDiffResolver {
  @Query(() => DatasetDiff, {
    description:
      'Members added and removed from fromVersion to toVersion of a dataset (by member id). NOT_FOUND if either version is unknown.',
  })
  async datasetDiff(
    @Args('datasetId', { type: () => ID }) datasetId: string,
    @Args('fromVersion', { type: () => Int }) fromVersion: number,
    @Args('toVersion', { type: () => Int }) toVersion: number,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetDiff> {
    const diff = await diffCounts(loaders.pool, { datasetId, fromVersion, toVersion });
    if ('missing' in diff) {
      const version = diff.missing === 'fromVersion' ? fromVersion : toVersion;
      throw new ApiError(
        'NOT_FOUND',
        `${diff.missing}: dataset ${JSON.stringify(datasetId)} has no version ${version}`,
      );
    }
    return diff;
  }

  @ResolveField(() => DatasetDiffMemberConnection, {
    description: 'Members of toVersion not in fromVersion, in code point order of their ids.',
  })
  added(
    @Parent() diff: DatasetDiff,
    @Context() { loaders }: GraphQLContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DatasetDiffMemberConnection> {
    return pageDiffMembers(loaders.pool, diff, 'added', { first, after });
  }

  @ResolveField(() => DatasetDiffMemberConnection, {
    description: 'Members of fromVersion not in toVersion, in code point order of their ids.',
  })
  removed(
    @Parent() diff: DatasetDiff,
    @Context() { loaders }: GraphQLContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DatasetDiffMemberConnection> {
    return pageDiffMembers(loaders.pool, diff, 'removed', { first, after });
  }
}
