import { Field, Float, ObjectType } from '@nestjs/graphql';
import { StepBucket, StepSeries } from './step-series.model';

@ObjectType({ description: 'Response lengths of the rollouts of a bucket, in tokens.' })
export class ResponseTokens {
  @Field(() => Float)
  mean!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Float, {
    description:
      'Approximate 95th percentile, from a histogram with one bucket per bit length (0; 1; 2-3; 4-7; ...): the bucket holding rank ceil(0.95 n) is exact, the value is interpolated linearly inside it and capped at max, so it is within that bucket (under a factor of 2 of the true value).',
  })
  p95!: number;
}

@ObjectType({ description: 'Rollouts of a bucket per finish reason (counts; Floats like count).' })
export class FinishReasonCounts {
  @Field(() => Float)
  stop!: number;

  @Field(() => Float)
  length!: number;

  @Field(() => Float)
  repeat!: number;

  @Field(() => Float)
  budget!: number;

  @Field(() => Float)
  toolError!: number;

  @Field(() => Float)
  partial!: number;

  @Field(() => Float)
  aborted!: number;

  @Field(() => Float, { description: 'Rollouts that gave no finish reason.' })
  none!: number;
}

@ObjectType({
  description:
    'Rollouts of one bucket of steps, merged exactly from the per-step rollups (see docs/metrics.md).',
})
export class RolloutPoint extends StepBucket {
  @Field(() => Float, {
    description: 'Rollouts in the bucket. A Float because it can exceed 2^31 (exact up to 2^53).',
  })
  rollouts!: number;

  @Field(() => ResponseTokens)
  responseTokens!: ResponseTokens;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean prompt tokens over the rollouts that reported them; null if none did.',
  })
  meanPromptTokens!: number | null;

  @Field(() => Float, { description: 'Share of rollouts that finished with length or budget.' })
  truncationRate!: number;

  @Field(() => Float, { description: 'Share of rollouts that finished with repeat.' })
  repeatRate!: number;

  @Field(() => Float, { description: 'Share of rollouts that finished with aborted.' })
  abortedRate!: number;

  @Field(() => FinishReasonCounts)
  finishReasons!: FinishReasonCounts;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean turns over the rollouts that reported numTurns; null if none did.',
  })
  meanTurns!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean tool calls over the rollouts that reported numToolCalls; null if none did.',
  })
  meanToolCalls!: number | null;

  @Field(() => Float, {
    description: 'Share of rollouts that continue a partial rollout (partialOf set).',
  })
  partialShare!: number;
}

@ObjectType({ description: "One run's rollout series: a point per bucket of steps with rollouts." })
export class RolloutSeries extends StepSeries {
  @Field(() => [RolloutPoint], {
    description: 'In step order; buckets without rollouts have none.',
  })
  points!: RolloutPoint[];
}
