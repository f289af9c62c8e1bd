import { Field, Float, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One criterion of a rubric.' })
export class RubricCriterion {
  @Field(() => ID)
  id!: string;

  @Field()
  description!: string;
}

@ObjectType({ description: 'The criteria that decide whether a task succeeded.' })
export class Rubric {
  @Field(() => [RubricCriterion])
  criteria!: RubricCriterion[];
}

@ObjectType({ description: 'A task for an agent, with its rubric (task.defined).' })
export class Task {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  agentId!: string | null;

  @Field()
  prompt!: string;

  @Field(() => Rubric, { nullable: true })
  rubric!: Rubric | null;

  @Field(() => String, { nullable: true })
  domain!: string | null;

  @Field(() => Float, { nullable: true })
  difficulty!: number | null;

  @Field()
  definedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface TaskRow {
  task_id: string;
  agent_id: string | null;
  prompt: string;
  rubric: { criteria: Array<{ id: string; description: string }> } | null;
  domain: string | null;
  difficulty: number | null;
  defined_at: Date;
  position: string;
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.task_id,
    agentId: row.agent_id,
    prompt: row.prompt,
    rubric: row.rubric,
    domain: row.domain,
    difficulty: row.difficulty,
    definedAt: row.defined_at,
    position: row.position,
  };
}
