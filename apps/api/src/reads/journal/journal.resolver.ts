import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { JournalEventConnection } from './journal-event-connection.model';
import { JournalEvent, toJournalEvent, type JournalEventRow } from './journal-event.model';
import { loadJournalEvent } from '../entity-loaders';

@Resolver(() => JournalEvent)
export class JournalResolver {
  @Query(() => JournalEvent, {
    nullable: true,
    description: 'A journaled event by its CloudEvents id.',
  })
  async event(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<JournalEvent | null> {
    return loadJournalEvent(loaders, id);
  }

  @Query(() => JournalEventConnection, {
    description: 'Journaled events in the order the tracker learned them, filtered.',
  })
  events(
    @Context() { loaders }: GraphQLContext,
    @Args('subject', { nullable: true, description: 'e.g. `rl:RUN` or `dataset:ID`' })
    subject?: string,
    @Args('type', { nullable: true, description: 'e.g. `reward.assigned`' }) type?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<JournalEventConnection> {
    return pageByPosition<JournalEventRow, JournalEvent>(
      loaders.pool,
      'event_journal',
      { subject, type },
      { first, after },
      toJournalEvent,
    );
  }
}
