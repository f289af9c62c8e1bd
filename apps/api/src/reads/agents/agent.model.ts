import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A system prompt plus a tool set (agent.defined).' })
export class Agent {
  @Field(() => ID)
  id!: string;

  @Field()
  systemPrompt!: string;

  @Field(() => [ID], { description: 'Ids of its tools, registered or not.' })
  toolIds!: string[];

  @Field(() => ID, { nullable: true })
  synthesisRunId!: string | null;

  @Field()
  definedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface AgentRow {
  agent_id: string;
  system_prompt: string;
  tool_ids: string[];
  synthesis_run_id: string | null;
  defined_at: Date;
  position: string;
}

export function toAgent(row: AgentRow): Agent {
  return {
    id: row.agent_id,
    systemPrompt: row.system_prompt,
    toolIds: row.tool_ids,
    synthesisRunId: row.synthesis_run_id,
    definedAt: row.defined_at,
    position: row.position,
  };
}
