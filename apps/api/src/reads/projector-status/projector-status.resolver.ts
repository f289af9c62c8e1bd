import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { TrackerConfig } from '@tracker/config';
import type { EventLog } from '@tracker/log';
import { EVENT_LOG, TRACKER_CONFIG } from '@tracker/platform';
import type { GraphQLContext } from '../../graphql/loaders';
import { ProjectorStatus } from './projector-status.model';
import { readProjectorStatus } from './projector-status.query';

@Resolver(() => ProjectorStatus)
export class ProjectorStatusResolver {
  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(EVENT_LOG) private readonly log: EventLog,
  ) {}

  @Query(() => ProjectorStatus, {
    description:
      'Lag per log partition and the last applied event of the configured consumer group.',
  })
  async projectorStatus(@Context() { loaders }: GraphQLContext): Promise<ProjectorStatus> {
    // An unreachable log still leaves a status: lag as of the last batches, and logReachable false.
    const ends = await this.log.endOffsets().catch(() => undefined);
    return readProjectorStatus(loaders.pool, this.config.kafkaGroupId, ends);
  }
}
