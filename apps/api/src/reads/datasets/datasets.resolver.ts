import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { datasetVersionNode } from '@tracker/read-model';
import type { GraphQLContext } from '../../graphql/loaders';
import { pageByPosition } from '../../graphql/page-query';
import { JournalEvent } from '../journal/journal-event.model';
import { rowsLinkedTo } from '../lineage.query';
import { RlRun, toRlRun, type RlRunRow } from '../rl-runs/rl-run.model';
import { Task } from '../tasks/task.model';
import { Tool, toTool } from '../tools/tool.model';
import { Trajectory } from '../trajectories/trajectory.model';
import {
  DatasetMemberConnection,
  DatasetVersionConnection,
} from './dataset-version-connection.model';
import { loadCalledTools, loadDatasetVersion } from './dataset-version.loader';
import { findingsByVersion, pageMembers, type DatasetVersionView } from './dataset-version.query';
import {
  DatasetFinding,
  DatasetMember,
  DatasetVersion,
  toDatasetFinding,
  toDatasetMember,
  toDatasetVersion,
  type DatasetFindingRow,
  type DatasetVersionRow,
} from './dataset-version.model';
import { loadJournalEvent, loadTask, loadTrajectory } from '../entity-loaders';

@Resolver(() => DatasetVersion)
export class DatasetVersionsResolver {
  @Query(() => DatasetVersion, {
    nullable: true,
    description:
      'A dataset version; with asOf, as the journal held it then: the members whose adding event was journaled at or before asOf, sealed only if its seal was (journal time: event_journal.projected_at, when the projector transaction journaled the event). Null if unknown (then).',
  })
  datasetVersion(
    @Args('datasetId', { type: () => ID }) datasetId: string,
    @Args('version', { type: () => Int }) version: number,
    @Context() { loaders }: GraphQLContext,
    @Args('asOf', { type: () => Date, nullable: true }) asOf?: Date | null,
  ): Promise<DatasetVersion | null> {
    return loadDatasetVersion(loaders, { datasetId, version }, asOf ?? null);
  }

  @Query(() => DatasetVersionConnection, {
    description: 'Dataset versions in the order the tracker learned of them.',
  })
  datasetVersions(
    @Context() { loaders }: GraphQLContext,
    @Args('datasetId', { type: () => ID, nullable: true }) datasetId?: string,
    @Args('sealed', { type: () => Boolean, nullable: true }) sealed?: boolean,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DatasetVersionConnection> {
    return pageByPosition<DatasetVersionRow, DatasetVersion>(
      loaders.pool,
      'dataset_versions',
      { dataset_id: datasetId, sealed },
      { first, after },
      toDatasetVersion,
    );
  }

  @ResolveField(() => DatasetMemberConnection, {
    description: 'Members in the order they were added (those it had at asOf, for an as-of view).',
  })
  members(
    @Parent() version: DatasetVersion,
    @Context() { loaders }: GraphQLContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<DatasetMemberConnection> {
    return pageMembers(loaders.pool, version, { first, after }, toDatasetMember);
  }

  @ResolveField(() => [DatasetFinding], {
    description:
      'What the tracker noticed while building this version (journaled by asOf, for an as-of view).',
  })
  async findings(
    @Parent() version: DatasetVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<DatasetFinding[]> {
    const rows = await loaders.load<DatasetVersionView, DatasetFindingRow[]>(
      'datasetVersion.findings',
      { datasetId: version.datasetId, version: version.version, asOf: version.asOf },
      (views) => findingsByVersion(loaders.pool, views),
    );
    return rows.map(toDatasetFinding);
  }

  @ResolveField(() => [Tool], {
    description: 'Registered tools called in its trajectory members, by id.',
  })
  async calledTools(
    @Parent() version: DatasetVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Tool[]> {
    return (await loadCalledTools(loaders, version)).tools.map(toTool);
  }

  @ResolveField(() => [ID], {
    description:
      'Ids of every tool called in its trajectory members, including never registered ones.',
  })
  async calledToolIds(
    @Parent() version: DatasetVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<string[]> {
    return (await loadCalledTools(loaders, version)).toolIds;
  }

  @ResolveField(() => [RlRun], { description: 'RL runs that train on this version.' })
  async trainedBy(
    @Parent() version: DatasetVersion,
    @Context() { loaders }: GraphQLContext,
  ): Promise<RlRun[]> {
    const rows = await rowsLinkedTo<RlRunRow>(
      loaders,
      {
        relation: 'trains_on',
        direction: 'incoming',
        kind: 'rl_run',
        table: 'rl_runs',
        idColumn: 'rl_run_id',
      },
      datasetVersionNode(version.datasetId, version.version),
    );
    return rows.map(toRlRun);
  }
}

@Resolver(() => DatasetMember)
export class DatasetMembersResolver {
  @ResolveField(() => Trajectory, {
    nullable: true,
    description: 'Set for trajectory members that were recorded.',
  })
  async trajectory(
    @Parent() member: DatasetMember,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Trajectory | null> {
    if (member.memberKind !== 'trajectory') return null;
    return loadTrajectory(loaders, member.memberId);
  }

  @ResolveField(() => Task, {
    nullable: true,
    description: 'Set for task members that were defined.',
  })
  async task(
    @Parent() member: DatasetMember,
    @Context() { loaders }: GraphQLContext,
  ): Promise<Task | null> {
    if (member.memberKind !== 'task') return null;
    return loadTask(loaders, member.memberId);
  }

  @ResolveField(() => JournalEvent, {
    nullable: true,
    description: 'The dataset.members.added event that added it.',
  })
  async addedByEvent(
    @Parent() member: DatasetMember,
    @Context() { loaders }: GraphQLContext,
  ): Promise<JournalEvent | null> {
    return loadJournalEvent(loaders, member.addedByEventId);
  }
}
