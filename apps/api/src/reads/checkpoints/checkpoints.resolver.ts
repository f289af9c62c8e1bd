import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition } from '../../graphql/page-query';
import { Evaluation, toEvaluation, type EvaluationRow } from '../evaluations/evaluation.model';
import { RlRun } from '../rl-runs/rl-run.model';
import { CheckpointConnection } from './checkpoint-connection.model';
import { Checkpoint, toCheckpoint, type CheckpointRow } from './checkpoint.model';
import { loadCheckpoint, loadRlRun } from '../entity-loaders';
import { checkpointProvenance } from './checkpoint-provenance';
import { CheckpointProvenance } from './checkpoint-provenance.model';

@Resolver(() => Checkpoint)
export class CheckpointsResolver {
  @Query(() => Checkpoint, { nullable: true })
  async checkpoint(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, id);
  }

  @Query(() => CheckpointConnection, { description: 'Checkpoints in the order saved, filtered.' })
  checkpoints(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('rlRunId', { type: () => ID, nullable: true }) rlRunId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<CheckpointConnection> {
    return pageByPosition<CheckpointRow, Checkpoint>(
      loaders.pool,
      'checkpoints',
      { rl_run_id: rlRunId },
      { first, after },
      toCheckpoint,
      { where: projectScope(caller, 'rl_run_id') },
    );
  }

  @ResolveField(() => RlRun, {
    nullable: true,
    description: 'Null while no event of the run has arrived.',
  })
  async run(
    @Parent() checkpoint: Checkpoint,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun | null> {
    return loadRlRun(loaders, checkpoint.rlRunId);
  }

  @ResolveField(() => CheckpointProvenance, {
    description:
      'How to reproduce it: every run, config, dataset version, verifier version and critic version that led to it, through parent and base checkpoints.',
  })
  provenance(
    @Parent() checkpoint: Checkpoint,
    @Context() { loaders }: GraphQLContext,
  ): Promise<CheckpointProvenance> {
    return checkpointProvenance(loaders, checkpoint);
  }

  @ResolveField(() => Checkpoint, {
    nullable: true,
    description: 'The checkpoint it was trained from.',
  })
  async parent(
    @Parent() checkpoint: Checkpoint,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint | null> {
    return loadCheckpoint(loaders, checkpoint.parentCheckpointId);
  }

  @ResolveField(() => [Checkpoint], { description: 'Checkpoints whose parent it is.' })
  async children(
    @Parent() checkpoint: Checkpoint,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Checkpoint[]> {
    return (
      await loaders.rowsBy<CheckpointRow>('checkpoints', 'parent_checkpoint_id', checkpoint.id)
    ).map(toCheckpoint);
  }

  @ResolveField(() => [Evaluation], {
    description: 'Its benchmark results, including ones recorded before it arrived.',
  })
  async evaluations(
    @Parent() checkpoint: Checkpoint,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Evaluation[]> {
    return (await loaders.rowsBy<EvaluationRow>('evaluations', 'checkpoint_id', checkpoint.id)).map(
      toEvaluation,
    );
  }
}
