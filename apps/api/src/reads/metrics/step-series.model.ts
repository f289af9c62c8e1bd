import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

/** What every per-run series shares: the run and the bucket grid its points lie on. */
@ObjectType({ isAbstract: true })
export abstract class StepSeries {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'First step of the range: fromStep, or the first step with data in any of the runs asked for. Null when there is none.',
  })
  fromStep!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Last step of the range: toStep, or the last step with data in any of the runs asked for.',
  })
  toStep!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Steps per bucket: ceil((toStep - fromStep + 1) / maxPoints); buckets start at fromStep. A Float because it can reach 2^31.',
  })
  bucketWidth!: number | null;
}

/** The step range of one bucket, shared by all points. */
@ObjectType({ isAbstract: true })
export abstract class StepBucket {
  @Field(() => Int, { description: 'First step of the bucket.' })
  fromStep!: number;

  @Field(() => Int, {
    description: 'Last step of the bucket (the last bucket ends at the range end).',
  })
  toStep!: number;
}
