import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType({
  description:
    'A tool of the repository: from an MCP server or evolved synthetically (tool.registered).',
})
export class Tool {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field({ description: 'mcp | synthetic' })
  source!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The MCP server or repository it came from.',
  })
  origin!: string | null;

  @Field(() => [ID], { description: 'Ids of the tools it was evolved from, registered or not.' })
  evolvedFromIds!: string[];

  @Field(() => String, { nullable: true })
  domain!: string | null;

  @Field(() => GraphQLJSON, { description: 'JSON Schema of its input (MCP inputSchema).' })
  inputSchema!: unknown;

  @Field()
  registeredAt!: Date;

  @Field(() => String, { description: 'Journal position of the event that registered it.' })
  position!: string;
}

export interface ToolRow {
  tool_id: string;
  name: string;
  description: string | null;
  source: string;
  origin: string | null;
  evolved_from: string[];
  domain: string | null;
  input_schema: unknown;
  registered_at: Date;
  position: string;
}

export function toTool(row: ToolRow): Tool {
  return {
    id: row.tool_id,
    name: row.name,
    description: row.description,
    source: row.source,
    origin: row.origin,
    evolvedFromIds: row.evolved_from,
    domain: row.domain,
    inputSchema: row.input_schema,
    registeredAt: row.registered_at,
    position: row.position,
  };
}
