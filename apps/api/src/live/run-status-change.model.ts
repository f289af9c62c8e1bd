import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An RL run started or finished (rl.started / rl.finished).' })
export class RunStatusChange {
  @Field(() => String, { description: 'Journal position of the event.' })
  position!: string;

  @Field(() => ID)
  rlRunId!: string;

  @Field({ description: 'running (rl.started), or succeeded / failed / cancelled (rl.finished).' })
  status!: string;

  @Field({ description: 'rl.started or rl.finished.' })
  eventType!: string;

  @Field({ description: 'When the event says it happened.' })
  time!: Date;
}

/** A run lifecycle feed row (see FEEDS.runLifecycle). */
export interface RunLifecycleRow {
  position: string;
  type: string;
  rl_run_id: string;
  status: string | null;
  time: Date;
}

export const toRunStatusChange = (row: RunLifecycleRow): RunStatusChange => ({
  position: row.position,
  rlRunId: row.rl_run_id,
  status: row.type === 'rl.started' ? 'running' : (row.status ?? 'unknown'),
  eventType: row.type,
  time: row.time,
});
