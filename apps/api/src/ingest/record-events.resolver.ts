import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { LogRefusedError, LogUnavailableError } from '@tracker/log';
import { GraphQLJSON } from 'graphql-scalars';
import { IngestRateLimited } from '../access/ingest-rate-limiter';
import { ApiError } from '../graphql/api-error';
import type { GraphQLContext } from '../graphql/loaders';
import { IngestService } from './ingest.service';
import { RecordEventsResult } from './record-events.model';

@Resolver()
export class RecordEventsResolver {
  constructor(private readonly ingest: IngestService) {}

  @Mutation(() => RecordEventsResult, {
    description: 'Validates CloudEvents and appends the valid ones to the log; answers per event.',
  })
  async recordEvents(
    @Args('events', { type: () => [GraphQLJSON] }) events: unknown[],
    @Context() { caller }: GraphQLContext,
  ): Promise<RecordEventsResult> {
    if (events.length > this.ingest.maxEvents) {
      throw new ApiError(
        'LIMIT_EXCEEDED',
        `${events.length} events in one call; the limit (INGEST_MAX_EVENTS) is ${this.ingest.maxEvents}`,
      );
    }
    try {
      return await this.ingest.record(events, caller);
    } catch (error) {
      if (error instanceof IngestRateLimited) throw new ApiError('RATE_LIMITED', error.message);
      if (error instanceof LogUnavailableError) {
        throw new ApiError(
          'LOG_UNAVAILABLE',
          `events not accepted, the log is unavailable: ${error.message}`,
        );
      }
      if (error instanceof LogRefusedError) {
        throw new ApiError(
          'LOG_REFUSED',
          `events not accepted, the log refused them: ${error.message}`,
        );
      }
      throw error;
    }
  }
}
