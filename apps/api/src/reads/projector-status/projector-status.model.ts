import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'How far the projector has read one log partition.' })
export class PartitionStatus {
  @Field()
  topic!: string;

  @Field(() => Int)
  partition!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Offset of the last message applied; null before any.',
  })
  lastOffset!: string | null;

  @Field(() => String, {
    description:
      "The partition's high watermark (next offset): read from the log now, or, when the log is unreachable, as of the last batch.",
  })
  highWatermark!: string;

  @Field(() => Float, {
    description:
      'Messages not applied yet: highWatermark - 1 - lastOffset (from the first retained offset before any), at least 0.',
  })
  lag!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the projector last stored an offset here.',
  })
  updatedAt!: Date | null;
}

@ObjectType({ description: 'The last event the projector applied.' })
export class LastProjectedEvent {
  @Field(() => String)
  position!: string;

  @Field(() => ID)
  eventId!: string;

  @Field()
  type!: string;

  @Field()
  subject!: string;

  @Field()
  source!: string;

  @Field()
  time!: Date;

  @Field()
  projectedAt!: Date;
}

@ObjectType({
  description: 'Where the projector stands: per-partition offsets and lag, the last applied event.',
})
export class ProjectorStatus {
  @Field({
    description:
      'Whether the log answered for current partition ends; if not, lag is as of the last batches.',
  })
  logReachable!: boolean;

  @Field({ description: 'The consumer group whose offsets these are.' })
  groupId!: string;

  @Field(() => [PartitionStatus])
  partitions!: PartitionStatus[];

  @Field(() => Float, { description: "Sum of the partitions' lag." })
  totalLag!: number;

  @Field(() => LastProjectedEvent, {
    nullable: true,
    description: 'Null before any event was projected.',
  })
  lastEvent!: LastProjectedEvent | null;

  @Field(() => Float, { description: 'Events in the journal.' })
  journalEvents!: number;

  @Field(() => Float, { description: 'Messages in dead letters.' })
  deadLetters!: number;
}
