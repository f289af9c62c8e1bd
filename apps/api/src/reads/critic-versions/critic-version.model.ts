import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'How well a critic version agrees with verifiable outcomes in one domain.',
})
export class CriticAgreement {
  @Field()
  domain!: string;

  @Field(() => Float)
  accuracy!: number;

  @Field(() => Int)
  samples!: number;
}

@ObjectType({
  description: 'A version of the self-critic, updated during an RL run (critic.updated).',
})
export class CriticVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  parentCriticVersionId!: string | null;

  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => Int, { nullable: true, description: 'On-policy rollouts used for the update.' })
  rolloutCount!: number | null;

  @Field(() => [CriticAgreement])
  agreement!: CriticAgreement[];

  @Field()
  updatedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface CriticVersionRow {
  critic_version_id: string;
  parent_critic_version_id: string | null;
  rl_run_id: string;
  step: number;
  rollout_count: number | null;
  agreement: CriticAgreement[];
  updated_at: Date;
  position: string;
}

export function toCriticVersion(row: CriticVersionRow): CriticVersion {
  return {
    id: row.critic_version_id,
    parentCriticVersionId: row.parent_critic_version_id,
    rlRunId: row.rl_run_id,
    step: row.step,
    rolloutCount: row.rollout_count,
    agreement: row.agreement,
    updatedAt: row.updated_at,
    position: row.position,
  };
}
