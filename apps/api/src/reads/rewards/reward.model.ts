import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A verifier at one version (a rule-based reward function).' })
export class Verifier {
  @Field()
  name!: string;

  @Field()
  version!: string;
}

@ObjectType({ description: 'A reward given to a rollout (reward.assigned).' })
export class Reward {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  rolloutId!: string;

  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int)
  step!: number;

  @Field({ description: 'verifiable | self_critic | human' })
  kind!: string;

  @Field()
  domain!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Verifier, { nullable: true, description: 'Set for verifiable rewards.' })
  verifier!: Verifier | null;

  @Field(() => ID, { nullable: true, description: 'Set for self-critic rewards.' })
  criticVersionId!: string | null;

  @Field(() => [String])
  rubricIds!: string[];

  @Field(() => Boolean, { nullable: true, description: 'Hack-check verdict, when one ran.' })
  hackFlagged!: boolean | null;

  @Field(() => String, { nullable: true })
  hackReason!: string | null;

  @Field()
  assignedAt!: Date;

  @Field(() => String, { description: 'Journal position of the event that recorded it.' })
  position!: string;
}

export interface RewardRow {
  reward_id: string;
  rollout_id: string;
  rl_run_id: string;
  step: number;
  kind: string;
  domain: string;
  value: number;
  verifier_name: string | null;
  verifier_version: string | null;
  critic_version_id: string | null;
  rubric_ids: string[];
  hack_flagged: boolean | null;
  hack_reason: string | null;
  assigned_at: Date;
  position: string;
}

export function toReward(row: RewardRow): Reward {
  return {
    id: row.reward_id,
    rolloutId: row.rollout_id,
    rlRunId: row.rl_run_id,
    step: row.step,
    kind: row.kind,
    domain: row.domain,
    value: row.value,
    verifier:
      row.verifier_name !== null && row.verifier_version !== null
        ? { name: row.verifier_name, version: row.verifier_version }
        : null,
    criticVersionId: row.critic_version_id,
    rubricIds: row.rubric_ids,
    hackFlagged: row.hack_flagged,
    hackReason: row.hack_reason,
    assignedAt: row.assigned_at,
    position: row.position,
  };
}
