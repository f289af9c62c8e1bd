import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { DeadLetterConnection } from './dead-letter-connection.model';
import { DeadLetter, toDeadLetter, type DeadLetterRow } from './dead-letter.model';

@Resolver(() => DeadLetter)
export class DeadLettersResolver {
  @Query(() => DeadLetterConnection, { description: 'Refused log messages, oldest first.' })
  deadLetters(
    @Context() { loaders }: GraphQLContext,
    @Args('stage', { nullable: true, description: 'decode | project' }) stage?: string,
    @Args('eventType', { nullable: true }) eventType?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DeadLetterConnection> {
    return pageByPosition<DeadLetterRow, DeadLetter>(
      loaders.pool,
      'dead_letters',
      { stage, event_type: eventType },
      { first, after },
      toDeadLetter,
      { keyColumn: 'id' },
    );
  }
}
