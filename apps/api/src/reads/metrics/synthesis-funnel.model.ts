import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'What a synthesis run produced, from its trajectories (the first recording of each id): tasks, trajectories, the verdicts of the judge, and the tools called against the tool catalog.',
})
export class SynthesisFunnel {
  @Field(() => ID)
  synthesisRunId!: string;

  @Field(() => Int, { description: 'Distinct tasks with at least one trajectory.' })
  tasks!: number;

  @Field(() => Int, { description: 'Tasks with at least one trajectory the judge passed.' })
  passedTasks!: number;

  @Field(() => Int)
  trajectories!: number;

  @Field(() => Int, { description: 'Trajectories whose judgement passed.' })
  passedTrajectories!: number;

  @Field(() => Float, { nullable: true, description: 'passedTrajectories / trajectories.' })
  passedShare!: number | null;

  @Field(() => Int, { description: 'Distinct tools its trajectories called.' })
  toolsCalled!: number;

  @Field(() => Int, {
    description: 'Of the tools called, those registered in the catalog (tool.registered).',
  })
  toolsRegistered!: number;

  @Field(() => Int, { description: 'Of the tools called, those not registered (yet).' })
  toolsUnregistered!: number;

  @Field(() => Int, { description: 'Every tool registered in the catalog, for scale.' })
  catalogTools!: number;
}
