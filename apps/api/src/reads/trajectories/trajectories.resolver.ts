import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { projectScope } from '../../access/project-scope';
import { pageByPosition } from '../../graphql/page-query';
import { Agent } from '../agents/agent.model';
import { loadVersionsContaining } from '../datasets/dataset-version.loader';
import { DatasetVersion } from '../datasets/dataset-version.model';
import { rowsByIds } from '../lineage.query';
import { SynthesisRun } from '../synthesis-runs/synthesis-run.model';
import { Task } from '../tasks/task.model';
import { Tool, toTool, type ToolRow } from '../tools/tool.model';
import { TrajectoryConnection } from './trajectory-connection.model';
import { ToolCall, Trajectory, toTrajectory, type TrajectoryRow } from './trajectory.model';
import { loadAgent, loadSynthesisRun, loadTask, loadTool, loadTrajectory } from '../entity-loaders';

@Resolver(() => Trajectory)
export class TrajectoriesResolver {
  @Query(() => Trajectory, { nullable: true })
  async trajectory(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Trajectory | null> {
    return loadTrajectory(loaders, id);
  }

  @Query(() => TrajectoryConnection, {
    description: 'Trajectories in the order recorded, filtered.',
  })
  trajectories(
    @Context() { loaders, caller }: GraphQLContext,
    @Args('synthesisRunId', { type: () => ID, nullable: true }) synthesisRunId?: string,
    @Args('taskId', { type: () => ID, nullable: true }) taskId?: string,
    @Args('agentId', { type: () => ID, nullable: true }) agentId?: string,
    @Args('passed', { type: () => Boolean, nullable: true }) passed?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<TrajectoryConnection> {
    return pageByPosition<TrajectoryRow, Trajectory>(
      loaders.pool,
      'trajectories',
      { synthesis_run_id: synthesisRunId, task_id: taskId, agent_id: agentId, passed },
      { first, after },
      toTrajectory,
      { where: projectScope(caller, 'synthesis_run_id') },
    );
  }

  @ResolveField(() => Task, { nullable: true, description: 'Null while the task has not arrived.' })
  async task(
    @Parent() trajectory: Trajectory,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Task | null> {
    return loadTask(loaders, trajectory.taskId);
  }

  @ResolveField(() => Agent, {
    nullable: true,
    description: 'Null while the agent has not arrived.',
  })
  async agent(
    @Parent() trajectory: Trajectory,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Agent | null> {
    return loadAgent(loaders, trajectory.agentId);
  }

  @ResolveField(() => SynthesisRun, {
    nullable: true,
    description: 'Null while no event of the run has arrived.',
  })
  async synthesisRun(
    @Parent() trajectory: Trajectory,
    @Context() { loaders }: GraphQLContext,
  ): Promise<SynthesisRun | null> {
    return loadSynthesisRun(loaders, trajectory.synthesisRunId);
  }

  @ResolveField(() => [Tool], {
    description: 'The registered tools its turns call (all ids: calledToolIds).',
  })
  async calledTools(
    @Parent() trajectory: Trajectory,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Tool[]> {
    return (await rowsByIds<ToolRow>(loaders, 'tools', 'tool_id', trajectory.calledToolIds)).map(
      toTool,
    );
  }

  @ResolveField(() => [DatasetVersion], { description: 'Dataset versions that contain it.' })
  datasets(
    @Parent() trajectory: Trajectory,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetVersion[]> {
    return loadVersionsContaining(loaders, 'trajectory', trajectory.id);
  }
}

@Resolver(() => ToolCall)
export class ToolCallsResolver {
  @ResolveField(() => Tool, {
    nullable: true,
    description: 'Null when the tool was never registered.',
  })
  async tool(
    @Parent() call: ToolCall,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Tool | null> {
    return loadTool(loaders, call.toolId);
  }
}
