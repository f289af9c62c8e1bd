import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition } from '../../graphql/page-query';
import { CriticVersion } from '../critic-versions/critic-version.model';
import { Rollout } from '../rollouts/rollout.model';
import { RlRun } from '../rl-runs/rl-run.model';
import { RewardConnection } from './reward-connection.model';
import { Reward, toReward, type RewardRow } from './reward.model';
import { loadCriticVersion, loadReward, loadRlRun, loadRollout } from '../entity-loaders';

@Resolver(() => Reward)
export class RewardsResolver {
  @Query(() => Reward, { nullable: true })
  async reward(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Reward | null> {
    return loadReward(loaders, id);
  }

  @Query(() => RewardConnection, { description: 'Rewards in the order recorded, filtered.' })
  rewards(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('rolloutId', { type: () => ID, nullable: true }) rolloutId?: string,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('verifierName', { nullable: true }) verifierName?: string,
    @Args('verifierVersion', { nullable: true }) verifierVersion?: string,
    @Args('criticVersionId', { type: () => ID, nullable: true }) criticVersionId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RewardConnection> {
    return pageByPosition<RewardRow, Reward>(
      loaders.pool,
      'rewards',
      {
        rl_run_id: rlRunId,
        rollout_id: rolloutId,
        step,
        domain,
        kind,
        verifier_name: verifierName,
        verifier_version: verifierVersion,
        critic_version_id: criticVersionId,
      },
      { first, after },
      toReward,
      { where: projectScope(caller, 'rl_run_id') },
    );
  }

  @ResolveField(() => Rollout, {
    nullable: true,
    description: 'Null while the rollout has not arrived.',
  })
  async rollout(
    @Parent() reward: Reward,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Rollout | null> {
    return loadRollout(loaders, reward.rolloutId);
  }

  @ResolveField(() => RlRun, { nullable: true })
  async run(
    @Parent() reward: Reward,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, reward.rlRunId);
  }

  @ResolveField(() => CriticVersion, {
    nullable: true,
    description: 'The critic version that gave a self-critic reward, once known.',
  })
  async criticVersion(
    @Parent() reward: Reward,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion | null> {
    return loadCriticVersion(loaders, reward.criticVersionId);
  }
}
