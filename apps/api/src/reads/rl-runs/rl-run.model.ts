import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType({ description: 'A dataset version an RL run trains on.' })
export class DatasetVersionRef {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => Int)
  version!: number;
}

@ObjectType({ description: 'An RL run (rl.started, rl.finished).' })
export class RlRun {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Null until rl.started arrives.' })
  project!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  policyModel!: string | null;

  @Field(() => ID, { nullable: true })
  baseCheckpointId!: string | null;

  @Field(() => [DatasetVersionRef])
  datasets!: DatasetVersionRef[];

  @Field(() => ID, { nullable: true })
  criticVersionId!: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  config!: unknown;

  @Field({ description: 'running | succeeded | failed | cancelled, or unknown before rl.started' })
  status!: string;

  @Field(() => ID, { nullable: true })
  finalCheckpointId!: string | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String)
  position!: string;
}

@ObjectType({ description: 'Rewards of a run for one domain and kind, from the rollups.' })
export class RewardSummary {
  @Field()
  domain!: string;

  @Field()
  kind!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float)
  mean!: number;

  @Field(() => Float, { description: 'Population standard deviation.' })
  std!: number;

  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of rewards equal to 1; verifiable rewards only.',
  })
  passRate!: number | null;

  @Field(() => Float, { description: 'Share of rewards the hack-check flagged.' })
  hackFlaggedRate!: number;

  @Field(() => Int)
  firstStep!: number;

  @Field(() => Int)
  lastStep!: number;
}

@ObjectType({
  description: 'A verifier version and how many rewards of the selection it produced.',
})
export class VerifierUsage {
  @Field()
  name!: string;

  @Field()
  version!: string;

  @Field(() => [String])
  domains!: string[];

  @Field(() => Int)
  rewardCount!: number;

  @Field(() => Int)
  firstStep!: number;

  @Field(() => Int)
  lastStep!: number;
}

export interface RlRunRow {
  rl_run_id: string;
  project: string | null;
  name: string | null;
  policy_model: string | null;
  base_checkpoint_id: string | null;
  datasets: Array<{ datasetId: string; version: number }> | null;
  critic_version_id: string | null;
  config: unknown;
  started_at: Date | null;
  finished_status: string | null;
  final_checkpoint_id: string | null;
  finished_at: Date | null;
  position: string;
}

export function toRlRun(row: RlRunRow): RlRun {
  return {
    id: row.rl_run_id,
    project: row.project,
    name: row.name,
    policyModel: row.policy_model,
    baseCheckpointId: row.base_checkpoint_id,
    datasets: row.datasets ?? [],
    criticVersionId: row.critic_version_id,
    config: row.config,
    status: row.finished_status ?? (row.started_at ? 'running' : 'unknown'),
    finalCheckpointId: row.final_checkpoint_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    position: row.position,
  };
}
