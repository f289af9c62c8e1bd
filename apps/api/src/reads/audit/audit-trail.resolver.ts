import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { JournalEventConnection } from '../journal/journal-event-connection.model';
import { toJournalEvent } from '../journal/journal-event.model';
import { pageAuditTrail } from './audit-trail.query';
import { parseTypedNodeId } from '../typed-node-id';

@Resolver()
export class AuditTrailResolver {
  @Query(() => JournalEventConnection, {
    description:
      'Every journal event that made the entity with typed node id `id` (`KIND:ID`, e.g. `tool:t-1`, `dataset_version:sft-core@3`) what it is, in journal order: ' +
      'for a dataset version its dataset.members.added events and seal(s); for a synthesis or RL run its started and completed/finished events; for any other entity the event that created it. ' +
      'BAD_USER_INPUT for a malformed id or an unknown kind.',
  })
  auditTrail(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
    @Args('asOf', {
      type: () => Date,
      nullable: true,
      description:
        'Only events journaled at or before this time (event_journal.projected_at: when the projector transaction that journaled the event began).',
    })
    asOf?: Date | null,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<JournalEventConnection> {
    return pageAuditTrail(
      loaders.pool,
      parseTypedNodeId(id),
      asOf ?? null,
      { first, after },
      toJournalEvent,
    );
  }
}
