import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A policy checkpoint saved by an RL run (checkpoint.saved).' })
export class Checkpoint {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  rlRunId!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => String, { nullable: true })
  uri!: string | null;

  @Field(() => ID, { nullable: true })
  parentCheckpointId!: string | null;

  @Field()
  savedAt!: Date;

  @Field(() => String)
  position!: string;
}

export interface CheckpointRow {
  checkpoint_id: string;
  rl_run_id: string;
  step: number;
  uri: string | null;
  parent_checkpoint_id: string | null;
  saved_at: Date;
  position: string;
}

export function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    id: row.checkpoint_id,
    rlRunId: row.rl_run_id,
    step: row.step,
    uri: row.uri,
    parentCheckpointId: row.parent_checkpoint_id,
    savedAt: row.saved_at,
    position: row.position,
  };
}
