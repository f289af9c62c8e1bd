import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@InputType({
  description: 'A verifier version, as rewards name it (reward.assigned data.verifier).',
})
export class VerifierRef {
  @Field()
  name!: string;

  @Field()
  version!: string;
}

@ObjectType({
  description:
    'What one judge (a verifier version or a critic version) reached in one RL run: the rewards it gave and the checkpoints trained after its first one.',
})
export class RunImpact {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int, { description: 'Rewards it gave in this run.' })
  rewardCount!: number;

  @Field(() => Int, { description: 'Steps with at least one of its rewards.' })
  stepCount!: number;

  @Field(() => Int, { description: 'First step with one of its rewards.' })
  firstStep!: number;

  @Field(() => Int, { description: 'Last step with one of its rewards.' })
  lastStep!: number;

  @Field(() => [String], { description: 'Reward domains it scored, sorted.' })
  domains!: string[];

  @Field(() => [String], { description: 'Reward kinds it gave (verifiable, self_critic, ...).' })
  kinds!: string[];
}

@ObjectType({
  description:
    'Impact analysis of a judge: every RL run, step range and reward downstream of it, from the reward rollups (exact counts, no scan of the rewards).',
})
export class Impact {
  @Field(() => ID, {
    description: 'Lineage node id of the judge: verifier:NAME@VERSION or critic_version:ID.',
  })
  source!: string;

  @Field(() => Int, { description: 'Rewards it gave, over all runs.' })
  rewardCount!: number;

  @Field(() => [RunImpact], { description: 'Runs it reached, in the order they started.' })
  runs!: RunImpact[];
}

/** Whose impact: exactly one judge. */
export type Judge =
  { kind: 'verifier'; name: string; version: string } | { kind: 'critic_version'; id: string };

/** A RunImpact with the judge it belongs to (for its resolvers). */
export interface RunImpactOf extends RunImpact {
  judge: Judge;
}
