import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { CriticVersionAgreement } from './critic-agreement.model';
import { criticAgreement } from './critic-agreement.query';
import { checkEntityId } from './entity-id-argument';
import { MAX_POINTS, seriesRequest } from './series-arguments';

@Resolver(() => CriticVersionAgreement)
export class CriticAgreementResolver {
  @Query(() => [CriticVersionAgreement], {
    description:
      "How often each critic version of a run preferred the rollout with the higher verifiable reward, per domain and rubric, with a per-step series (buckets as in groupSeries). A rollout's verifiable reward is its first journaled one.",
  })
  criticAgreement(
    @Args('rlRunId', { type: () => ID }) rlRunId: string,
    @Context() { loaders }: GraphQLContext,
    @Args('criticVersionId', { type: () => ID, nullable: true }) criticVersionId?: string,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('fromStep', { type: () => Int, nullable: true }) fromStep?: number,
    @Args('toStep', { type: () => Int, nullable: true }) toStep?: number,
    @Args('maxPoints', { type: () => Int, defaultValue: MAX_POINTS.default }) maxPoints?: number,
  ): Promise<CriticVersionAgreement[]> {
    return criticAgreement(
      loaders.pool,
      seriesRequest({ rlRunId: checkEntityId('rlRunId', rlRunId), fromStep, toStep, maxPoints }),
      {
        criticVersionId:
          criticVersionId === undefined || criticVersionId === null
            ? null
            : checkEntityId('criticVersionId', criticVersionId),
        domain: domain ?? null,
      },
    );
  }
}
