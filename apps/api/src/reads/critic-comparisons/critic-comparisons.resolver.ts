import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition } from '../../graphql/page-query';
import { CriticVersion } from '../critic-versions/critic-version.model';
import { rowsByIds } from '../lineage.query';
import { RlRun } from '../rl-runs/rl-run.model';
import { Rollout, toRollout, type RolloutRow } from '../rollouts/rollout.model';
import { CriticComparisonConnection } from './critic-comparison-connection.model';
import {
  CriticComparison,
  toCriticComparison,
  type CriticComparisonRow,
} from './critic-comparison.model';
import { loadCriticComparison, loadCriticVersion, loadRlRun, loadRollout } from '../entity-loaders';

@Resolver(() => CriticComparison)
export class CriticComparisonsResolver {
  @Query(() => CriticComparison, { nullable: true })
  async criticComparison(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticComparison | null> {
    return loadCriticComparison(loaders, id);
  }

  @Query(() => CriticComparisonConnection, {
    description: 'Pairwise critic judgements in the order recorded, filtered.',
  })
  criticComparisons(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('criticVersionId', { type: () => ID, nullable: true }) criticVersionId?: string,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<CriticComparisonConnection> {
    return pageByPosition<CriticComparisonRow, CriticComparison>(
      loaders.pool,
      'critic_comparisons',
      { rl_run_id: rlRunId, critic_version_id: criticVersionId, step },
      { first, after },
      toCriticComparison,
      { where: projectScope(caller, 'rl_run_id') },
    );
  }

  @ResolveField(() => RlRun, { nullable: true })
  async run(
    @Parent() comparison: CriticComparison,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, comparison.rlRunId);
  }

  @ResolveField(() => CriticVersion, {
    nullable: true,
    description: 'Null while critic.updated of that version has not arrived.',
  })
  async criticVersion(
    @Parent() comparison: CriticComparison,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion | null> {
    return loadCriticVersion(loaders, comparison.criticVersionId);
  }

  @ResolveField(() => [Rollout], {
    description: 'The judged rollouts that have arrived, in rolloutIds order.',
  })
  async rollouts(
    @Parent() comparison: CriticComparison,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Rollout[]> {
    return (
      await rowsByIds<RolloutRow>(loaders, 'rollouts', 'rollout_id', comparison.rolloutIds)
    ).map(toRollout);
  }

  @ResolveField(() => Rollout, { nullable: true })
  async preferredRollout(
    @Parent() comparison: CriticComparison,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Rollout | null> {
    return loadRollout(loaders, comparison.preferredRolloutId);
  }
}
