import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('RejectedEvent', { description: 'An event the tracker refused, and why.' })
export class RejectedEventModel {
  @Field(() => Int, { description: 'Position in the submitted list, from 0.' })
  index!: number;

  @Field(() => ID, { nullable: true })
  id!: string | null;

  @Field({ description: 'Which field broke which rule.' })
  reason!: string;
}

@ObjectType('RecordEventsResult')
export class RecordEventsResult {
  @Field(() => Int, { description: 'Events now durably in the log; they will be projected.' })
  accepted!: number;

  @Field(() => [RejectedEventModel])
  rejected!: RejectedEventModel[];
}
