import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DatasetVersionRef } from '../rl-runs/rl-run.model';

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
    description:
      'Lineage node id of the judge: verifier:NAME@VERSION (with "%" and "@" in NAME written %25 and %40) or critic_version:ID.',
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

@ObjectType({
  description: 'How many of one kind are reached, and the first ids (code point order).',
})
export class ReachedSet {
  @Field(() => Int)
  count!: number;

  @Field(() => [ID])
  ids!: string[];
}

@ObjectType({
  description:
    'An RL run a tool reaches: through rollouts of its tasks, or by training on a dataset version holding its trajectories.',
})
export class ToolRunImpact {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int, { description: 'Rollouts of the reached tasks in this run.' })
  rolloutCount!: number;

  @Field(() => Int, { nullable: true, description: 'First step with such a rollout.' })
  firstStep!: number | null;

  @Field(() => Int, { nullable: true, description: 'Last step with such a rollout.' })
  lastStep!: number | null;

  @Field(() => [DatasetVersionRef], { description: 'Reached dataset versions it trains on.' })
  trainsOn!: DatasetVersionRef[];
}

@ObjectType({
  description:
    'Everything downstream of a tool: tools evolved from it, agents using them, their tasks, the trajectories calling the tools or run by those agents or on those tasks, the dataset versions holding them, and the RL runs reached.',
})
export class ToolImpact {
  @Field(() => ID, { description: 'tool:ID' })
  source!: string;

  @Field(() => ReachedSet, {
    description: 'The tool and every tool evolved from it, transitively.',
  })
  tools!: ReachedSet;

  @Field(() => ReachedSet)
  agents!: ReachedSet;

  @Field(() => ReachedSet)
  tasks!: ReachedSet;

  @Field(() => ReachedSet)
  trajectories!: ReachedSet;

  @Field(() => [DatasetVersionRef])
  datasetVersions!: DatasetVersionRef[];

  @Field(() => [ToolRunImpact])
  runs!: ToolRunImpact[];
}

@ObjectType({ description: 'An RL run downstream of a dataset version.' })
export class DatasetRunImpact {
  @Field(() => ID)
  rlRunId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Null when the run trains on the version itself; else the base checkpoint it started from, saved by an affected run.',
  })
  inheritedFrom!: string | null;
}

@ObjectType({
  description:
    'Everything trained on a dataset version: the runs training on it, the runs started from their checkpoints (transitively), and every checkpoint of those runs.',
})
export class DatasetImpact {
  @Field(() => ID, { description: 'dataset_version:ID@VERSION' })
  source!: string;

  @Field(() => [DatasetRunImpact], {
    description: 'Direct runs first, then inherited ones by hop.',
  })
  runs!: DatasetRunImpact[];
}
