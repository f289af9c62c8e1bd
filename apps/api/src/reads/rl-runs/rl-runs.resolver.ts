import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition, pageOfParent } from '../../graphql/page-query';
import { CheckpointConnection } from '../checkpoints/checkpoint-connection.model';
import { Checkpoint, toCheckpoint, type CheckpointRow } from '../checkpoints/checkpoint.model';
import {
  CriticVersion,
  toCriticVersion,
  type CriticVersionRow,
} from '../critic-versions/critic-version.model';
import { loadDatasetVersion } from '../datasets/dataset-version.loader';
import { DatasetVersion } from '../datasets/dataset-version.model';
import { RewardConnection } from '../rewards/reward-connection.model';
import { toReward, type RewardRow } from '../rewards/reward.model';
import { RolloutConnection } from '../rollouts/rollout-connection.model';
import { toRollout, type RolloutRow } from '../rollouts/rollout.model';
import { rewardSummaries, verifierUsages } from './reward-summary.query';
import { RlRunConnection } from './rl-run-connection.model';
import { RewardSummary, RlRun, VerifierUsage, toRlRun, type RlRunRow } from './rl-run.model';
import { loadCheckpoint, loadCriticVersion, loadRlRun } from '../entity-loaders';

@Resolver(() => RlRun)
export class RlRunsResolver {
  @Query(() => RlRun, { nullable: true })
  async rlRun(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, id);
  }

  @Query(() => RlRunConnection, {
    description: 'RL runs in the order the tracker learned of them.',
  })
  rlRuns(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('project', { nullable: true }) project?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RlRunConnection> {
    return pageByPosition<RlRunRow, RlRun>(
      loaders.pool,
      'rl_runs',
      { project },
      { first, after },
      toRlRun,
      { where: projectScope(caller, 'project') },
    );
  }

  @ResolveField(() => [RewardSummary], {
    description: 'Count, mean, std, min, max and pass rate per domain and kind, from rollups.',
  })
  rewardSummary(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
  ): Promise<RewardSummary[]> {
    return loaders.load('rlRun.rewardSummary', { rlRunId: run.id, fromStep, toStep }, (keys) =>
      rewardSummaries(loaders.pool, keys),
    );
  }

  @ResolveField(() => [VerifierUsage], {
    description:
      "Verifier versions that produced this run's verifiable rewards, at one step or over a range.",
  })
  verifiers(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
  ): Promise<VerifierUsage[]> {
    return loaders.load('rlRun.verifiers', { rlRunId: run.id, step, fromStep, toStep }, (keys) =>
      verifierUsages(loaders.pool, keys),
    );
  }

  @ResolveField(() => RewardConnection)
  rewards(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('kind', { nullable: true }) kind?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RewardConnection> {
    return pageOfParent<RewardRow, ReturnType<typeof toReward>>(
      loaders,
      'rewards',
      'rl_run_id',
      run.id,
      { step, domain, kind },
      { first, after },
      toReward,
    );
  }

  @ResolveField(() => RolloutConnection)
  rollouts(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
    @Args('step', { type: () => Int, nullable: true }) step?: number,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<RolloutConnection> {
    return pageOfParent<RolloutRow, ReturnType<typeof toRollout>>(
      loaders,
      'rollouts',
      'rl_run_id',
      run.id,
      { step },
      { first, after },
      toRollout,
    );
  }

  @ResolveField(() => CheckpointConnection, {
    description: 'Checkpoints it saved, in the order saved.',
  })
  checkpoints(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<CheckpointConnection> {
    return pageOfParent<CheckpointRow, Checkpoint>(
      loaders,
      'checkpoints',
      'rl_run_id',
      run.id,
      {},
      { first, after },
      toCheckpoint,
    );
  }

  @ResolveField(() => Checkpoint, {
    nullable: true,
    description: 'The checkpoint it started from, once known.',
  })
  async baseCheckpoint(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, run.baseCheckpointId);
  }

  @ResolveField(() => Checkpoint, {
    nullable: true,
    description: 'The checkpoint rl.finished named, once known.',
  })
  async finalCheckpoint(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, run.finalCheckpointId);
  }

  @ResolveField(() => [DatasetVersion], {
    description:
      'The dataset versions it trains on that the tracker knows; all refs stay in `datasets`.',
  })
  async datasetVersions(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetVersion[]> {
    const versions = await Promise.all(run.datasets.map((ref) => loadDatasetVersion(loaders, ref)));
    return versions.filter((version): version is DatasetVersion => version !== null);
  }

  @ResolveField(() => CriticVersion, {
    nullable: true,
    description: 'The critic version it started with, once known.',
  })
  async criticVersion(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion | null> {
    return loadCriticVersion(loaders, run.criticVersionId);
  }

  @ResolveField(() => [CriticVersion], { description: 'Critic versions updated in this run.' })
  async criticVersions(
    @Parent() run: RlRun,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CriticVersion[]> {
    return (await loaders.rowsBy<CriticVersionRow>('critic_versions', 'rl_run_id', run.id)).map(
      toCriticVersion,
    );
  }
}
