import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { nodeId } from '@tracker/read-model';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { Agent, toAgent, type AgentRow } from '../agents/agent.model';
import { rowsByIds, rowsLinkedTo } from '../lineage.query';
import { ToolConnection } from './tool-connection.model';
import { Tool, toTool, type ToolRow } from './tool.model';
import { loadTool } from '../entity-loaders';

@Resolver(() => Tool)
export class ToolsResolver {
  @Query(() => Tool, { nullable: true })
  async tool(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Tool | null> {
    return loadTool(loaders, id);
  }

  @Query(() => ToolConnection, { description: 'Tools in the order registered, filtered.' })
  tools(
    @Context() { loaders }: GraphQLContext,
    @Args('source', { nullable: true, description: 'mcp | synthetic' }) source?: string,
    @Args('domain', { nullable: true }) domain?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<ToolConnection> {
    return pageByPosition<ToolRow, Tool>(
      loaders.pool,
      'tools',
      { source, domain },
      { first, after },
      toTool,
    );
  }

  @ResolveField(() => [Tool], {
    description: 'The registered tools it was evolved from (all ids: evolvedFromIds).',
  })
  async evolvedFrom(@Parent() tool: Tool, @Context() { loaders }: GraphQLContext): Promise<Tool[]> {
    return (await rowsByIds<ToolRow>(loaders, 'tools', 'tool_id', tool.evolvedFromIds)).map(toTool);
  }

  @ResolveField(() => [Tool], { description: 'Tools evolved from this one.' })
  async evolvedInto(@Parent() tool: Tool, @Context() { loaders }: GraphQLContext): Promise<Tool[]> {
    const rows = await rowsLinkedTo<ToolRow>(
      loaders,
      {
        relation: 'evolved_from',
        direction: 'incoming',
        kind: 'tool',
        table: 'tools',
        idColumn: 'tool_id',
      },
      nodeId('tool', tool.id),
    );
    return rows.map(toTool);
  }

  @ResolveField(() => [Agent], { description: 'Agents whose tool set includes it.' })
  async usedByAgents(
    @Parent() tool: Tool,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Agent[]> {
    const rows = await rowsLinkedTo<AgentRow>(
      loaders,
      {
        relation: 'uses',
        direction: 'incoming',
        kind: 'agent',
        table: 'agents',
        idColumn: 'agent_id',
      },
      nodeId('tool', tool.id),
    );
    return rows.map(toAgent);
  }
}
