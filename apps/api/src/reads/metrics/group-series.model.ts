import { Field, Float, ObjectType } from '@nestjs/graphql';
import { StepBucket, StepSeries } from './step-series.model';

@ObjectType({
  description:
    'Prompt groups (rollouts sharing a groupId) of one bucket of steps, for one reward kind and domain. A group counts at its step (the least step of its rollouts) with its rewards of that kind and domain. Counts are Floats, as in rewardSeries: a bucket can hold more than 2^31 rewards.',
})
export class GroupPoint extends StepBucket {
  @Field(() => Float, { description: 'Groups with at least one reward.' })
  groups!: number;

  @Field(() => Float, { description: 'Rewards of those groups.' })
  rewards!: number;

  @Field(() => Float, { description: 'Rewards per group (rewards / groups).' })
  meanGroupSize!: number;

  @Field(() => Float, { description: 'Groups with two or more rewards.' })
  multiRewardGroups!: number;

  @Field(() => Float, {
    description: 'Groups with two or more rewards, all equal (min = max): no advantage signal.',
  })
  zeroVarianceGroups!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "zeroVarianceGroups / multiRewardGroups (TRL's frac_reward_zero_std); null without such groups.",
  })
  zeroStdShare!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Groups with at least one reward of 1; verifiable rewards only.',
  })
  passGroups!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'passGroups / groups: pass@k, k being the group size; verifiable rewards only.',
  })
  passAtKShare!: number | null;
}

@ObjectType({
  description: "One run's prompt-group statistics for one reward kind and domain, by step.",
})
export class GroupSeries extends StepSeries {
  @Field()
  kind!: string;

  @Field()
  domain!: string;

  @Field(() => [GroupPoint], { description: 'In step order; buckets without groups have none.' })
  points!: GroupPoint[];
}
