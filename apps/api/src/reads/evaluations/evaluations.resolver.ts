import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { Checkpoint } from '../checkpoints/checkpoint.model';
import { EvaluationConnection } from './evaluation-connection.model';
import { Evaluation, toEvaluation, type EvaluationRow } from './evaluation.model';
import { loadCheckpoint, loadEvaluation } from '../entity-loaders';

@Resolver(() => Evaluation)
export class EvaluationsResolver {
  @Query(() => Evaluation, { nullable: true })
  async evaluation(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Evaluation | null> {
    return loadEvaluation(loaders, id);
  }

  @Query(() => EvaluationConnection, {
    description: 'Benchmark results in the order recorded, filtered.',
  })
  evaluations(
    @Context() { loaders }: GraphQLContext,
    @Args('checkpointId', { type: () => ID, nullable: true }) checkpointId?: string,
    @Args('benchmark', { nullable: true }) benchmark?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<EvaluationConnection> {
    return pageByPosition<EvaluationRow, Evaluation>(
      loaders.pool,
      'evaluations',
      { checkpoint_id: checkpointId, benchmark },
      { first, after },
      toEvaluation,
    );
  }

  @ResolveField(() => Checkpoint, {
    nullable: true,
    description: 'Null while the checkpoint has not arrived.',
  })
  async checkpoint(
    @Parent() evaluation: Evaluation,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, evaluation.checkpointId);
  }
}
