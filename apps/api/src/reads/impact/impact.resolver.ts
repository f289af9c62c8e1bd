import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { datasetVersionNode, nodeId, verifierNode } from '@tracker/read-model';
import { ApiError } from '../../graphql/api-error';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageOfParent } from '../../graphql/page-query';
import { Checkpoint, toCheckpoint } from '../checkpoints/checkpoint.model';
import { loadRlRun } from '../entity-loaders';
import { RewardConnection } from '../rewards/reward-connection.model';
import { toReward, type RewardRow } from '../rewards/reward.model';
import { RlRun } from '../rl-runs/rl-run.model';
import {
  DatasetImpact,
  DatasetRunImpact,
  Impact,
  RunImpact,
  ToolImpact,
  VerifierRef,
  type Judge,
  type RunImpactOf,
} from './impact.model';
import { checkpointsFromStep, judgeColumns, runImpacts } from './impact.query';
import { datasetRunReach } from './dataset-impact.query';
import { toolReach } from './tool-impact.query';

@Resolver(() => Impact)
export class ImpactResolver {
  @Query(() => Impact, {
    description:
      'What is downstream of a judge, the question after finding a bug in it: give exactly one of `verifier` or `criticVersionId`.',
  })
  async impact(
    @Context() { loaders }: GraphQLContext,
    @Args('verifier', { type: () => VerifierRef, nullable: true }) verifier?: VerifierRef,
    @Args('criticVersionId', { type: () => ID, nullable: true }) criticVersionId?: string,
  ): Promise<Impact> {
    const given = [verifier, criticVersionId].filter(
      (value) => value !== undefined && value !== null,
    );
    if (given.length !== 1) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `impact: give exactly one of verifier or criticVersionId (got ${given.length})`,
      );
    }
    const judge: Judge = verifier
      ? { kind: 'verifier', name: verifier.name, version: verifier.version }
      : { kind: 'critic_version', id: criticVersionId! };
    const runs = await runImpacts(loaders.pool, judge);
    return {
      source:
        judge.kind === 'verifier'
          ? verifierNode(judge.name, judge.version)
          : nodeId('critic_version', judge.id),
      rewardCount: runs.reduce((sum, run) => sum + run.rewardCount, 0),
      runs: runs.map((run): RunImpactOf => ({ ...run, judge })),
    };
  }
}

@Resolver(() => ToolImpact)
export class ToolImpactResolver {
  @Query(() => ToolImpact, {
    description:
      'What is downstream of a tool (and of the tools evolved from it): agents, tasks, trajectories, dataset versions and RL runs, counted, with the first `first` ids of each.',
  })
  async toolImpact(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<ToolImpact> {
    if (!Number.isInteger(first) || first < 0 || first > 500) {
      throw new ApiError(
        'BAD_USER_INPUT',
        `first: must be an integer from 0 to 500 (got ${first})`,
      );
    }
    return { source: nodeId('tool', id), ...(await toolReach(loaders.pool, id, first)) };
  }
}

@Resolver(() => DatasetImpact)
export class DatasetImpactResolver {
  @Query(() => DatasetImpact, {
    description:
      'What was trained on a dataset version: runs training on it, runs started from their checkpoints, and all their checkpoints.',
  })
  async datasetImpact(
    @Args('datasetId', { type: () => ID }) datasetId: string,
    @Args('version', { type: () => Int }) version: number,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetImpact> {
    return {
      source: datasetVersionNode(datasetId, version),
      runs: await datasetRunReach(loaders.pool, datasetId, version),
    };
  }
}

@Resolver(() => DatasetRunImpact)
export class DatasetRunImpactResolver {
  @ResolveField(() => RlRun, { nullable: true, description: 'Null while rl.started is unknown.' })
  rlRun(
    @Parent() run: DatasetRunImpact,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, run.rlRunId);
  }

  @ResolveField(() => [Checkpoint], {
    description: 'Every checkpoint of the run, by step: all of them trained on the version.',
  })
  async checkpoints(
    @Parent() run: DatasetRunImpact,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint[]> {
    const rows = await loaders.load(
      'impact.checkpointsFromStep',
      { rlRunId: run.rlRunId, fromStep: 0 },
      (keys) => checkpointsFromStep(loaders.pool, keys),
    );
    return rows.map(toCheckpoint);
  }
}

@Resolver(() => RunImpact)
export class RunImpactResolver {
  @ResolveField(() => RlRun, { nullable: true, description: 'Null while rl.started is unknown.' })
  rlRun(@Parent() run: RunImpactOf, @Context() { loaders }: GraphQLContext): Promise<RlRun | null> {
    return loadRlRun(loaders, run.rlRunId);
  }

  @ResolveField(() => [Checkpoint], {
    description:
      'Checkpoints of the run saved at or after its first reward here: trained on what it scored.',
  })
  async checkpointsAfterFirstStep(
    @Parent() run: RunImpactOf,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint[]> {
    const rows = await loaders.load(
      'impact.checkpointsFromStep',
      { rlRunId: run.rlRunId, fromStep: run.firstStep },
      (keys) => checkpointsFromStep(loaders.pool, keys),
    );
    return rows.map(toCheckpoint);
  }

  @ResolveField(() => RewardConnection, {
    description: 'Its rewards in this run, in the order recorded (optionally at one step).',
  })
  rewards(
    @Parent() run: RunImpactOf,
    @Context() { loaders }: GraphQLContext,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RewardConnection> {
    // Batched over the runs of the answer: one lateral query for every run's page.
    return pageOfParent<RewardRow, ReturnType<typeof toReward>>(
      loaders,
      'rewards',
      'rl_run_id',
      run.rlRunId,
      { step, ...judgeColumns(run.judge) },
      { first, after },
      toReward,
    );
  }
}
