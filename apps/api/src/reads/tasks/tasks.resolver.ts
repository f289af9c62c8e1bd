import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { Agent } from '../agents/agent.model';
import { loadVersionsContaining } from '../datasets/dataset-version.loader';
import { DatasetVersion } from '../datasets/dataset-version.model';
import { TaskConnection } from './task-connection.model';
import { Task, toTask, type TaskRow } from './task.model';
import { loadAgent, loadTask } from '../entity-loaders';

@Resolver(() => Task)
export class TasksResolver {
  @Query(() => Task, { nullable: true })
  async task(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Task | null> {
    return loadTask(loaders, id);
  }

  @Query(() => TaskConnection, { description: 'Tasks in the order defined, filtered.' })
  tasks(
    @Context() { loaders }: GraphQLContext,
    @Args('agentId', { type: () => ID, nullable: true }) agentId?: string,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<TaskConnection> {
    return pageByPosition<TaskRow, Task>(
      loaders.pool,
      'tasks',
      { agent_id: agentId, domain },
      { first, after },
      toTask,
    );
  }

  @ResolveField(() => Agent, {
    nullable: true,
    description: 'Null when it has none or it has not arrived.',
  })
  async agent(@Parent() task: Task, @Context() { loaders }: GraphQLContext): Promise<Agent | null> {
    return loadAgent(loaders, task.agentId);
  }

  @ResolveField(() => [DatasetVersion], {
    description: 'Dataset versions that contain it (RL prompt sets).',
  })
  datasets(
    @Parent() task: Task,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetVersion[]> {
    return loadVersionsContaining(loaders, 'task', task.id);
  }
}
