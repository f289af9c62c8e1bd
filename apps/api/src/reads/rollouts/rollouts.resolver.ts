import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { Reward, toReward, type RewardRow } from '../rewards/reward.model';
import { RlRun, toRlRun, type RlRunRow } from '../rl-runs/rl-run.model';
import { RolloutConnection } from './rollout-connection.model';
import { Rollout, toRollout, type RolloutRow } from './rollout.model';

@Resolver(() => Rollout)
export class RolloutsResolver {
  @Query(() => Rollout, { nullable: true })
  async rollout(@Args('id', { type: () => ID }) id: string, @Context() { loaders }: GraphQLContext): Promise<Rollout | null> {
    const row = await loaders.rowBy<RolloutRow>('rollouts', 'rollout_id', id);
    return row && toRollout(row);
  }

  @Query(() => RolloutConnection, { description: 'Rollouts in the order recorded, filtered.' })
  rollouts(
    @Context() { loaders }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('taskId', { type: () => ID, nullable: true }) taskId?: string,
    @Args('groupId', { type: () => ID, nullable: true }) groupId?: string,
    @Args('gymDomain', { nullable: true }) gymDomain?: string,
    @Args('finishReason', { nullable: true }) finishReason?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RolloutConnection> {
    return pageByPosition<RolloutRow, Rollout>(
      loaders.pool,
      'rollouts',
      { rl_run_id: rlRunId, step, task_id: taskId, group_id: groupId, gym_domain: gymDomain, finish_reason: finishReason },
      { first, after },
      toRollout,
    );
  }

  @ResolveField(() => [Reward], { description: 'Rewards given to this rollout, including ones that arrived before it.' })
  async rewards(@Parent() rollout: Rollout, @Context() { loaders }: GraphQLContext): Promise<Reward[]> {
    return (await loaders.rowsBy<RewardRow>('rewards', 'rollout_id', rollout.id)).map(toReward);
  }

  @ResolveField(() => RlRun, { nullable: true })
  async run(@Parent() rollout: Rollout, @Context() { loaders }: GraphQLContext): Promise<RlRun | null> {
    const row = await loaders.rowBy<RlRunRow>('rl_runs', 'rl_run_id', rollout.rlRunId);
    return row && toRlRun(row);
  }

  @ResolveField(() => Rollout, { nullable: true, description: 'The rollout this partial rollout continues.' })
  async continues(@Parent() rollout: Rollout, @Context() { loaders }: GraphQLContext): Promise<Rollout | null> {
    const row = await loaders.rowBy<RolloutRow>('rollouts', 'rollout_id', rollout.partialOfId);
    return row && toRollout(row);
  }
}
