import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RewardPoint } from '../reads/metrics/reward-series.model';

@ObjectType({ description: "One step's rewards of one domain and kind, as they now stand." })
export class RewardStepChange {
  @Field()
  domain!: string;

  @Field()
  kind!: string;

  @Field(() => RewardPoint, {
    description: 'The exact rollup of the step (fromStep = toStep), over every judge.',
  })
  point!: RewardPoint;
}

@ObjectType({
  description:
    'The per-step reward rollups that changed since the last update (at most maxRateHz updates a second), in step order.',
})
export class RewardSeriesUpdate {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => String, {
    description:
      'Journal position of the last reward this update accounts for (the rollups may already hold later ones).',
  })
  throughPosition!: string;

  @Field(() => [RewardStepChange])
  changes!: RewardStepChange[];
}
