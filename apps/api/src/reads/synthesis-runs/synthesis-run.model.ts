import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType({
  description: 'A synthesis run producing trajectories (synthesis.started, synthesis.completed).',
})
export class SynthesisRun {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Null until synthesis.started arrives.' })
  project!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  generatorModel!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  config!: unknown;

  @Field({ description: 'running | succeeded | failed, or unknown before synthesis.started' })
  status!: string;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => String)
  position!: string;
}

export interface SynthesisRunRow {
  synthesis_run_id: string;
  project: string | null;
  name: string | null;
  generator_model: string | null;
  config: unknown;
  started_at: Date | null;
  completed_status: string | null;
  completed_at: Date | null;
  position: string;
}

export function toSynthesisRun(row: SynthesisRunRow): SynthesisRun {
  return {
    id: row.synthesis_run_id,
    project: row.project,
    name: row.name,
    generatorModel: row.generator_model,
    config: row.config,
    status: row.completed_status ?? (row.started_at ? 'running' : 'unknown'),
    startedAt: row.started_at,
    completedAt: row.completed_at,
    position: row.position,
  };
}
