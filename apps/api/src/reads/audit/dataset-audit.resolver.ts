import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLContext } from '../../graphql/loaders';
import { loadJournalEvent } from '../entity-loaders';
import { JournalEvent } from '../journal/journal-event.model';
import { DatasetAudit, DatasetAuditFinding, toDatasetAudit } from './dataset-audit.model';
import { auditDatasetVersion } from './dataset-audit.query';

@Resolver(() => DatasetAudit)
export class DatasetAuditResolver {
  @Query(() => DatasetAudit, {
    nullable: true,
    description:
      'Audits a dataset version: sealed vs computed content hash and member count, stored findings and findings computed now (unknown members, judge-rejected trajectories, failed synthesis runs, unregistered tools). ' +
      'With asOf, the version as the journal held it then (members whose adding event was journaled at or before asOf, the seal only if journaled by then; event_journal.projected_at), checked against the current read model. Null if the version is unknown (then).',
  })
  async datasetAudit(
    @Args('datasetId', { type: () => ID }) datasetId: string,
    @Args('version', { type: () => Int }) version: number,
    @Context() { loaders }: GraphQLContext,
    @Args('asOf', { type: () => Date, nullable: true }) asOf?: Date | null,
  ): Promise<DatasetAudit | null> {
    const audit = await auditDatasetVersion(loaders.pool, {
      datasetId,
      version,
      asOf: asOf ?? null,
    });
    return audit && toDatasetAudit(audit);
  }
}

@Resolver(() => DatasetAuditFinding)
export class DatasetAuditFindingsResolver {
  @ResolveField(() => JournalEvent, {
    nullable: true,
    description: 'The event that caused it (stored findings).',
  })
  event(
    @Parent() finding: DatasetAuditFinding,
    @Context() { loaders }: GraphQLContext,
  ): Promise<JournalEvent | null> {
    return loadJournalEvent(loaders, finding.eventId);
  }
}
