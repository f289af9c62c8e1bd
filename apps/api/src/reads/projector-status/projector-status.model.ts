import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'How far the projector has read one log partition.' })
export class PartitionStatus {
  @Field()
  topic!: string;

  @Field(() => Int)
  partition!: number;

  @Field(() => String, { description: 'Offset of the last message applied (-1 before any).' })
  lastOffset!: string;

  @Field(() => String, {
    description: "The partition's high watermark (next offset) when that batch was read.",
  })
  highWatermark!: string;

  @Field(() => Float, {
    description: 'Messages behind: highWatermark - 1 - lastOffset, at least 0.',
  })
  lag!: number;

  @Field()
  updatedAt!: Date;
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
