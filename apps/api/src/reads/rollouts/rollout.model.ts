import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The policy answering one task at one step (rollout.completed).' })
export class Rollout {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => ID)
  taskId!: string;

  @Field(() => ID, { nullable: true, description: 'The prompt group its K samples share.' })
  groupId!: string | null;

  @Field(() => ID, { nullable: true })
  policyCheckpointId!: string | null;

  @Field(() => String, { nullable: true })
  gymTemplate!: string | null;

  @Field(() => String, { nullable: true })
  gymDomain!: string | null;

  @Field(() => Int, { nullable: true })
  promptTokens!: number | null;

  @Field(() => Int)
  responseTokens!: number;

  @Field(() => Int, { nullable: true })
  numTurns!: number | null;

  @Field(() => Int, { nullable: true })
  numToolCalls!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'stop | length | repeat | budget | tool_error | partial | aborted',
  })
  finishReason!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The rollout this one continues (partial rollouts).',
  })
  partialOfId!: string | null;

  @Field()
  completedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface RolloutRow {
  rollout_id: string;
  rl_run_id: string;
  step: number;
  task_id: string;
  group_id: string | null;
  policy_checkpoint_id: string | null;
  gym_template: string | null;
  gym_domain: string | null;
  prompt_tokens: number | null;
  response_tokens: number;
  num_turns: number | null;
  num_tool_calls: number | null;
  finish_reason: string | null;
  partial_of: string | null;
  completed_at: Date;
  position: string;
}

export function toRollout(row: RolloutRow): Rollout {
  return {
    id: row.rollout_id,
    rlRunId: row.rl_run_id,
    step: row.step,
    taskId: row.task_id,
    groupId: row.group_id,
    policyCheckpointId: row.policy_checkpoint_id,
    gymTemplate: row.gym_template,
    gymDomain: row.gym_domain,
    promptTokens: row.prompt_tokens,
    responseTokens: row.response_tokens,
    numTurns: row.num_turns,
    numToolCalls: row.num_tool_calls,
    finishReason: row.finish_reason,
    partialOfId: row.partial_of,
    completedAt: row.completed_at,
    position: row.position,
  };
}
