import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { rowsByIds } from '../lineage.query';
import { SynthesisRun } from '../synthesis-runs/synthesis-run.model';
import { Task, toTask, type TaskRow } from '../tasks/task.model';
import { Tool, toTool, type ToolRow } from '../tools/tool.model';
import { AgentConnection } from './agent-connection.model';
import { Agent, toAgent, type AgentRow } from './agent.model';
import { loadAgent, loadSynthesisRun } from '../entity-loaders';

@Resolver(() => Agent)
export class AgentsResolver {
  @Query(() => Agent, { nullable: true })
  async agent(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Agent | null> {
    return loadAgent(loaders, id);
  }

  @Query(() => AgentConnection, { description: 'Agents in the order defined, filtered.' })
  agents(
    @Context() { loaders }: GraphQLContext,
    @Args('synthesisRunId', { type: () => ID, nullable: true }) synthesisRunId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<AgentConnection> {
    return pageByPosition<AgentRow, Agent>(
      loaders.pool,
      'agents',
      { synthesis_run_id: synthesisRunId },
      { first, after },
      toAgent,
    );
  }

  @ResolveField(() => [Tool], {
    description: 'Its registered tools, in toolIds order (all ids: toolIds).',
  })
  async tools(@Parent() agent: Agent, @Context() { loaders }: GraphQLContext): Promise<Tool[]> {
    return (await rowsByIds<ToolRow>(loaders, 'tools', 'tool_id', agent.toolIds)).map(toTool);
  }

  @ResolveField(() => [Task], { description: 'Tasks defined for it.' })
  async tasks(@Parent() agent: Agent, @Context() { loaders }: GraphQLContext): Promise<Task[]> {
    return (await loaders.rowsBy<TaskRow>('tasks', 'agent_id', agent.id)).map(toTask);
  }

  @ResolveField(() => SynthesisRun, { nullable: true })
  async synthesisRun(
    @Parent() agent: Agent,
    @Context() { loaders }: GraphQLContext,
  ): Promise<SynthesisRun | null> {
    return loadSynthesisRun(loaders, agent.synthesisRunId);
  }
}
