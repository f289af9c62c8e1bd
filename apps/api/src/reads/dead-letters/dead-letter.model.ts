import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A log message the projector refused, with why and its exact bytes.' })
export class DeadLetter {
  @Field(() => ID)
  id!: string;

  @Field()
  topic!: string;

  @Field(() => Int)
  partition!: number;

  @Field(() => String)
  offset!: string;

  @Field({ description: 'decode (not a valid event) | project (Postgres refused its data)' })
  stage!: string;

  @Field()
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'Its id, when it could be read.' })
  eventId!: string | null;

  @Field(() => String, { nullable: true, description: 'Its type, when it could be read.' })
  eventType!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The message as UTF-8 text (invalid bytes replaced); null for a tombstone.',
  })
  raw!: string | null;

  @Field(() => String, { nullable: true, description: 'The exact message bytes, base64.' })
  rawBase64!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the log stored it.' })
  loggedAt!: Date | null;

  @Field()
  deadAt!: Date;
}

export interface DeadLetterRow {
  id: string;
  log_topic: string;
  log_partition: number;
  log_offset: string;
  stage: string;
  reason: string;
  event_id: string | null;
  event_type: string | null;
  raw: Buffer | null;
  logged_at: Date | null;
  dead_at: Date;
}

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    topic: row.log_topic,
    partition: row.log_partition,
    offset: row.log_offset,
    stage: row.stage,
    reason: row.reason,
    eventId: row.event_id,
    eventType: row.event_type,
    raw: row.raw === null ? null : row.raw.toString('utf8'),
    rawBase64: row.raw === null ? null : row.raw.toString('base64'),
    loggedAt: row.logged_at,
    deadAt: row.dead_at,
  };
}
