import { Field, Float, ObjectType } from '@nestjs/graphql';
import { StepBucket, StepSeries } from './step-series.model';

@ObjectType({
  description:
    'Rewards of one bucket of steps, merged exactly from the per-step rollups (see docs/metrics.md).',
})
export class RewardPoint extends StepBucket {
  @Field(() => Float, {
    description:
      'Rewards in the bucket. A Float because a bucket can hold more than 2^31 rewards (exact up to 2^53).',
  })
  count!: number;

  @Field(() => Float, { description: 'Mean value (numeric sums, cast at the end).' })
  mean!: number;

  @Field(() => Float, {
    description:
      'Population standard deviation, sqrt((n * sum of squares - sum^2) / n^2), from exact numeric sums.',
  })
  std!: number;

  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "Share of the bucket's verifiable rewards equal to 1; null when it has no verifiable reward.",
  })
  passRate!: number | null;

  @Field(() => Float, {
    description:
      "Share of the bucket's rewards whose hack-check flagged them (no hack-check counts as not flagged).",
  })
  hackFlaggedRate!: number;
}

@ObjectType({ description: "One run's reward series: a point per bucket of steps with rewards." })
export class RewardSeries extends StepSeries {
  @Field(() => [RewardPoint], { description: 'In step order; buckets without rewards have none.' })
  points!: RewardPoint[];
}
