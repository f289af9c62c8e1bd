import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { nodeId } from '@tracker/read-model';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition } from '../../graphql/page-query';
import { Checkpoint } from '../checkpoints/checkpoint.model';
import {
  CriticComparison,
  toCriticComparison,
  type CriticComparisonRow,
} from '../critic-comparisons/critic-comparison.model';
import { rowsLinkedTo } from '../lineage.query';
import { Reward, toReward, type RewardRow } from '../rewards/reward.model';
import { RlRun } from '../rl-runs/rl-run.model';
import { Task } from '../tasks/task.model';
import { RolloutConnection } from './rollout-connection.model';
import { Rollout, toRollout, type RolloutRow } from './rollout.model';
import { loadCheckpoint, loadRlRun, loadRollout, loadTask } from '../entity-loaders';

@Resolver(() => Rollout)
export class RolloutsResolver {
  @Query(() => Rollout, { nullable: true })
  async rollout(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Rollout | null> {
    return loadRollout(loaders, id);
  }

  @Query(() => RolloutConnection, { description: 'Rollouts in the order recorded, filtered.' })
  rollouts(
    @Context() { loaders, caller }: GraphQLContext,
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
      {
        rl_run_id: rlRunId,
        step,
        task_id: taskId,
        group_id: groupId,
        gym_domain: gymDomain,
        finish_reason: finishReason,
      },
      { first, after },
      toRollout,
      { where: projectScope(caller, 'rl_run_id') },
    );
  }

  @ResolveField(() => [Reward], {
    description: 'Rewards given to this rollout, including ones that arrived before it.',
  })
  async rewards(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Reward[]> {
    return (await loaders.rowsBy<RewardRow>('rewards', 'rollout_id', rollout.id)).map(toReward);
  }

  @ResolveField(() => RlRun, { nullable: true })
  async run(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, rollout.rlRunId);
  }

  @ResolveField(() => Rollout, {
    nullable: true,
    description: 'The rollout this partial rollout continues.',
  })
  async continues(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Rollout | null> {
    return loadRollout(loaders, rollout.partialOfId);
  }

  @ResolveField(() => Task, { nullable: true, description: 'Null while the task has not arrived.' })
  async task(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Task | null> {
    return loadTask(loaders, rollout.taskId);
  }

  @ResolveField(() => Checkpoint, {
    nullable: true,
    description: 'The policy checkpoint that produced it, once known.',
  })
  async policyCheckpoint(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, rollout.policyCheckpointId);
  }

  @ResolveField(() => [CriticComparison], {
    description: 'Pairwise critic judgements that include it.',
  })
  async comparisons(
    @Parent() rollout: Rollout,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticComparison[]> {
    const rows = await rowsLinkedTo<CriticComparisonRow>(
      loaders,
      {
        relation: 'judges',
        direction: 'incoming',
        kind: 'comparison',
        table: 'critic_comparisons',
        idColumn: 'comparison_id',
      },
      nodeId('rollout', rollout.id),
    );
    return rows.map(toCriticComparison);
  }
}
