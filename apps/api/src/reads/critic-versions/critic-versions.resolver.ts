import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition, pageOfParent } from '../../graphql/page-query';
import { CriticComparisonConnection } from '../critic-comparisons/critic-comparison-connection.model';
import {
  CriticComparison,
  toCriticComparison,
  type CriticComparisonRow,
} from '../critic-comparisons/critic-comparison.model';
import { RlRun } from '../rl-runs/rl-run.model';
import { CriticVersionConnection } from './critic-version-connection.model';
import { CriticVersion, toCriticVersion, type CriticVersionRow } from './critic-version.model';
import { loadCriticVersion, loadRlRun } from '../entity-loaders';

@Resolver(() => CriticVersion)
export class CriticVersionsResolver {
  @Query(() => CriticVersion, { nullable: true })
  async criticVersion(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion | null> {
    return loadCriticVersion(loaders, id);
  }

  @Query(() => CriticVersionConnection, {
    description: 'Critic versions in the order recorded, filtered.',
  })
  criticVersions(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<CriticVersionConnection> {
    return pageByPosition<CriticVersionRow, CriticVersion>(
      loaders.pool,
      'critic_versions',
      { rl_run_id: rlRunId },
      { first, after },
      toCriticVersion,
      { where: projectScope(caller, 'rl_run_id') },
    );
  }

  @ResolveField(() => CriticVersion, {
    nullable: true,
    description: 'The version it was updated from.',
  })
  async parent(
    @Parent() version: CriticVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion | null> {
    return loadCriticVersion(loaders, version.parentCriticVersionId);
  }

  @ResolveField(() => RlRun, { nullable: true, description: 'The run it was updated in.' })
  async run(
    @Parent() version: CriticVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, version.rlRunId);
  }

  @ResolveField(() => CriticComparisonConnection, {
    description: 'Comparisons it judged, in the order recorded.',
  })
  comparisons(
    @Parent() version: CriticVersion,
    @Context() { loaders }: GraphQLContext,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<CriticComparisonConnection> {
    return pageOfParent<CriticComparisonRow, CriticComparison>(
      loaders,
      'critic_comparisons',
      'critic_version_id',
      version.id,
      { step },
      { first, after },
      toCriticComparison,
    );
  }
}
