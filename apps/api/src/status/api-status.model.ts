import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Delay of the event loop of the answering API process (ms).' })
export class EventLoopDelay {
  @Field(() => Float)
  p50!: number;

  @Field(() => Float)
  p99!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Float, {
    description: 'Over this many seconds: since start, or since the last reset.',
  })
  windowSeconds!: number;
}

@ObjectType({
  description: 'The API process that answers: memory, event loop, live subscriptions.',
})
export class ApiStatus {
  @Field(() => Int, { description: 'Process id of the answering API process.' })
  pid!: number;

  @Field(() => Float)
  uptimeSeconds!: number;

  @Field(() => Float, { description: 'Resident set size, bytes.' })
  rssBytes!: number;

  @Field(() => Float, { description: 'V8 heap in use, bytes.' })
  heapUsedBytes!: number;

  @Field(() => EventLoopDelay)
  eventLoopDelay!: EventLoopDelay;

  @Field(() => Int, {
    description: 'Live streams this process serves (one per subscription or shared execution).',
  })
  liveStreams!: number;

  @Field(() => Int, { description: 'Executions shared by identical subscriptions.' })
  sharedExecutions!: number;

  @Field(() => String, {
    description: 'Last committed journal position this process has heard of.',
  })
  journalPosition!: string;
}
