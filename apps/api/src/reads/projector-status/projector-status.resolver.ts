import { Inject } from '@nestjs/common';
import { Context, Query, Resolver } from '@nestjs/graphql';
import type { TrackerConfig } from '@tracker/config';
import { TRACKER_CONFIG } from '@tracker/platform';
import type { GraphQLContext } from '../../graphql/loaders';
import { ProjectorStatus } from './projector-status.model';
import { readProjectorStatus } from './projector-status.query';

@Resolver(() => ProjectorStatus)
export class ProjectorStatusResolver {
  constructor(@Inject(TRACKER_CONFIG) private readonly config: TrackerConfig) {}

  @Query(() => ProjectorStatus, {
    description:
      'Lag per log partition and the last applied event of the configured consumer group.',
  })
  projectorStatus(@Context() { loaders }: GraphQLContext): Promise<ProjectorStatus> {
    return readProjectorStatus(loaders.pool, this.config.kafkaGroupId);
  }
}
