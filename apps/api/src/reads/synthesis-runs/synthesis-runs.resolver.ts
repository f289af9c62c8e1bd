import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition, pageOfParent } from '../../graphql/page-query';
import { TrajectoryConnection } from '../trajectories/trajectory-connection.model';
import { Trajectory, toTrajectory, type TrajectoryRow } from '../trajectories/trajectory.model';
import { SynthesisRunConnection } from './synthesis-run-connection.model';
import { SynthesisRun, toSynthesisRun, type SynthesisRunRow } from './synthesis-run.model';
import { loadSynthesisRun } from '../entity-loaders';

@Resolver(() => SynthesisRun)
export class SynthesisRunsResolver {
  @Query(() => SynthesisRun, { nullable: true })
  async synthesisRun(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<SynthesisRun | null> {
    return loadSynthesisRun(loaders, id);
  }

  @Query(() => SynthesisRunConnection, {
    description: 'Synthesis runs in the order the tracker learned of them.',
  })
  synthesisRuns(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('project', { nullable: true }) project?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<SynthesisRunConnection> {
    return pageByPosition<SynthesisRunRow, SynthesisRun>(
      loaders.pool,
      'synthesis_runs',
      { project },
      { first, after },
      toSynthesisRun,
      { where: projectScope(caller, 'project') },
    );
  }

  @ResolveField(() => TrajectoryConnection, {
    description: 'Its trajectories in the order recorded.',
  })
  trajectories(
    @Parent() run: SynthesisRun,
    @Context() { loaders }: GraphQLContext,
    @Args('passed', { type: () => Boolean, nullable: true }) passed?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<TrajectoryConnection> {
    return pageOfParent<TrajectoryRow, Trajectory>(
      loaders,
      'trajectories',
      'synthesis_run_id',
      run.id,
      { passed },
      { first, after },
      toTrajectory,
    );
  }
}
