import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType({
  description:
    'An event as the tracker journaled it: the envelope as received and where it came from.',
})
export class JournalEvent {
  @Field(() => String, {
    description: 'Journal position: the order in which the tracker learned the events.',
  })
  position!: string;

  @Field(() => ID, { description: 'The CloudEvents id.' })
  id!: string;

  @Field()
  type!: string;

  @Field()
  subject!: string;

  @Field({ description: 'Who emitted it (worker, service).' })
  source!: string;

  @Field({ description: 'When it happened at the producer.' })
  time!: Date;

  @Field(() => Int)
  schemaVersion!: number;

  @Field(() => GraphQLJSON, { description: 'The CloudEvents envelope, data included.' })
  envelope!: unknown;

  @Field({ description: 'Log topic it was consumed from (`embedded` for the embedded log).' })
  topic!: string;

  @Field(() => Int)
  partition!: number;

  @Field(() => String)
  offset!: string;

  @Field(() => Date, { nullable: true, description: 'When the log stored it.' })
  loggedAt!: Date | null;

  @Field()
  projectedAt!: Date;
}

export interface JournalEventRow {
  position: string;
  event_id: string;
  type: string;
  subject: string;
  source: string;
  event_time: Date;
  schema_version: number;
  envelope: unknown;
  log_topic: string;
  log_partition: number;
  log_offset: string;
  logged_at: Date | null;
  projected_at: Date;
}

export function toJournalEvent(row: JournalEventRow): JournalEvent {
  return {
    position: row.position,
    id: row.event_id,
    type: row.type,
    subject: row.subject,
    source: row.source,
    time: row.event_time,
    schemaVersion: row.schema_version,
    envelope: row.envelope,
    topic: row.log_topic,
    partition: row.log_partition,
    offset: row.log_offset,
    loggedAt: row.logged_at,
    projectedAt: row.projected_at,
  };
}
