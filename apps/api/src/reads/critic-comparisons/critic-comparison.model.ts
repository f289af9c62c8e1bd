import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'The self-critic judging two rollouts pairwise against rubrics (critic.compared).',
})
export class CriticComparison {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => ID)
  criticVersionId!: string;

  @Field(() => [ID])
  rolloutIds!: string[];

  @Field(() => ID)
  preferredRolloutId!: string;

  @Field(() => [String])
  rubricIds!: string[];

  @Field(() => String, { nullable: true })
  rationale!: string | null;

  @Field()
  comparedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface CriticComparisonRow {
  comparison_id: string;
  rl_run_id: string;
  step: number;
  critic_version_id: string;
  rollout_ids: string[];
  preferred_rollout_id: string;
  rubric_ids: string[];
  rationale: string | null;
  compared_at: Date;
  position: string;
}

export function toCriticComparison(row: CriticComparisonRow): CriticComparison {
  return {
    id: row.comparison_id,
    rlRunId: row.rl_run_id,
    step: row.step,
    criticVersionId: row.critic_version_id,
    rolloutIds: row.rollout_ids,
    preferredRolloutId: row.preferred_rollout_id,
    rubricIds: row.rubric_ids,
    rationale: row.rationale,
    comparedAt: row.compared_at,
    position: row.position,
  };
}
