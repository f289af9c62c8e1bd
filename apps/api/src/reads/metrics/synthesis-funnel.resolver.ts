import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { checkEntityId } from './entity-id-argument';
import { SynthesisFunnel } from './synthesis-funnel.model';
import { synthesisFunnel } from './synthesis-funnel.query';

@Resolver(() => SynthesisFunnel)
export class SynthesisFunnelResolver {
  @Query(() => SynthesisFunnel, {
    nullable: true,
    description:
      'Tasks, trajectories, passed share and tools called (registered or not) of a synthesis run; null when the run is unknown.',
  })
  synthesisFunnel(
    @Args('synthesisRunId', { type: () => ID }) synthesisRunId: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<SynthesisFunnel | null> {
    return synthesisFunnel(loaders.pool, checkEntityId('synthesisRunId', synthesisRunId));
  }
}
