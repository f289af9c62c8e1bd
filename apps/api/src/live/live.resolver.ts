import {
  Args,
  Context,
  Float,
  ID,
  Parent,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { ApiError } from '../graphql/api-error';
import { freshLoaders, type GraphQLContext } from '../graphql/loaders';
import {
  Checkpoint,
  toCheckpoint,
  type CheckpointRow,
} from '../reads/checkpoints/checkpoint.model';
import {
  CriticVersion,
  toCriticVersion,
  type CriticVersionRow,
} from '../reads/critic-versions/critic-version.model';
import { loadRlRun } from '../reads/entity-loaders';
import { Reward, toReward, type RewardRow } from '../reads/rewards/reward.model';
import { RlRun } from '../reads/rl-runs/rl-run.model';
import { parseAfterPosition } from './live-stream';
import type { Stoppable } from './prompt-return';
import { LiveService } from './live.service';
import { RewardSeriesUpdate } from './reward-series-update.model';
import { rewardSeriesUpdates } from './reward-series-updates';
import {
  RunStatusChange,
  toRunStatusChange,
  type RunLifecycleRow,
} from './run-status-change.model';

const AFTER =
  'Resume: first every matching event after this journal position (the `position` of the last one received), in order, then the live ones; no gap, no duplicate. Without it: from now on.';

const oneOf = (values: readonly string[] | null | undefined) =>
  values && values.length > 0 ? new Set(values) : null;

/**
 * Live pushes over graphql-ws. Each event reaches subscribers once it is projected and
 * committed, read back from what was projected, so a subscriber never sees what a query cannot;
 * every process serving the API delivers (the projectors' commits are announced through
 * Postgres). A subscriber too slow to take them is ended with SUBSCRIBER_TOO_SLOW and the
 * position to resume after.
 */
@Resolver(() => RunStatusChange)
export class LiveResolver {
  constructor(private readonly live: LiveService) {}

  @Subscription(() => Reward, {
    description:
      'Each reward of the run as it is projected (optionally of some domains and kinds only).',
    resolve: (row: RewardRow, _args: unknown, context: GraphQLContext) => {
      freshLoaders(context);
      return toReward(row);
    },
  })
  rewardAssigned(
    @Args('rlRunId', { type: () => ID }) rlRunId: string,
    @Args('domains', { type: () => [String], nullable: true }) domains?: string[] | null,
    @Args('kinds', { type: () => [String], nullable: true }) kinds?: string[] | null,
    @Args('afterPosition', { type: () => String, nullable: true, description: AFTER })
    afterPosition?: string | null,
  ): Stoppable<RewardRow> {
    const domainSet = oneOf(domains);
    const kindSet = oneOf(kinds);
    return this.live.stream<RewardRow>({
      feed: 'rewards',
      rlRunId,
      afterPosition: parseAfterPosition(afterPosition),
      accept: (row) =>
        (!domainSet || domainSet.has(row.domain)) && (!kindSet || kindSet.has(row.kind)),
    });
  }

  @Subscription(() => RewardSeriesUpdate, {
    description:
      'Chart updates of the run: the per-step reward rollups that changed, coalesced to at most maxRateHz updates a second (a busy run does not flood a browser). Start from rewardSeries, then apply these.',
    resolve: (update: RewardSeriesUpdate, _args: unknown, context: GraphQLContext) => {
      freshLoaders(context);
      return update;
    },
  })
  rewardSeriesUpdated(
    @Args('rlRunId', { type: () => ID }) rlRunId: string,
    @Context() { loaders }: GraphQLContext,
    @Args('domains', { type: () => [String], nullable: true }) domains?: string[] | null,
    @Args('kinds', { type: () => [String], nullable: true }) kinds?: string[] | null,
    @Args('maxRateHz', { type: () => Float, defaultValue: 2, description: 'From 0.1 to 20.' })
    maxRateHz: number = 2,
  ): Stoppable<RewardSeriesUpdate> {
    if (!(maxRateHz >= 0.1 && maxRateHz <= 20))
      throw new ApiError('BAD_USER_INPUT', `maxRateHz: ${maxRateHz} is not from 0.1 to 20`);
    const domainSet = oneOf(domains);
    const kindSet = oneOf(kinds);
    const rewards = this.live.stream<RewardRow>({
      feed: 'rewards',
      rlRunId,
      afterPosition: null,
      accept: (row) =>
        (!domainSet || domainSet.has(row.domain)) && (!kindSet || kindSet.has(row.kind)),
    });
    return rewardSeriesUpdates(loaders.pool, { rlRunId, rewards, maxRateHz });
  }

  @Subscription(() => Checkpoint, {
    description: 'Each checkpoint of the run as it is saved.',
    resolve: (row: CheckpointRow, _args: unknown, context: GraphQLContext) => {
      freshLoaders(context);
      return toCheckpoint(row);
    },
  })
  checkpointSaved(
    @Args('rlRunId', { type: () => ID }) rlRunId: string,
    @Args('afterPosition', { type: () => String, nullable: true, description: AFTER })
    afterPosition?: string | null,
  ): Stoppable<CheckpointRow> {
    return this.live.stream<CheckpointRow>({
      feed: 'checkpoints',
      rlRunId,
      afterPosition: parseAfterPosition(afterPosition),
      accept: () => true,
    });
  }

  @Subscription(() => CriticVersion, {
    description: 'Each new self-critic version of the run (critic.updated).',
    resolve: (row: CriticVersionRow, _args: unknown, context: GraphQLContext) => {
      freshLoaders(context);
      return toCriticVersion(row);
    },
  })
  criticUpdated(
    @Args('rlRunId', { type: () => ID }) rlRunId: string,
    @Args('afterPosition', { type: () => String, nullable: true, description: AFTER })
    afterPosition?: string | null,
  ): Stoppable<CriticVersionRow> {
    return this.live.stream<CriticVersionRow>({
      feed: 'criticVersions',
      rlRunId,
      afterPosition: parseAfterPosition(afterPosition),
      accept: () => true,
    });
  }

  @Subscription(() => RunStatusChange, {
    description: 'RL runs starting and finishing: of one run, or of every run.',
    resolve: (row: RunLifecycleRow, _args: unknown, context: GraphQLContext) => {
      freshLoaders(context);
      return toRunStatusChange(row);
    },
  })
  runStatusChanged(
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string | null,
    @Args('afterPosition', { type: () => String, nullable: true, description: AFTER })
    afterPosition?: string | null,
  ): Stoppable<RunLifecycleRow> {
    return this.live.stream<RunLifecycleRow>({
      feed: 'runLifecycle',
      rlRunId: rlRunId ?? null,
      afterPosition: parseAfterPosition(afterPosition),
      accept: () => true,
    });
  }

  @ResolveField(() => RlRun, { nullable: true, description: 'The run as it is now.' })
  run(
    @Parent() change: RunStatusChange,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, change.rlRunId);
  }
}
