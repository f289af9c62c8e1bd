import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A version of a dataset: its members and its seal (dataset.members.added, dataset.sealed).',
})
export class DatasetVersion {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => String, { nullable: true, description: 'trajectory | task' })
  memberKind!: string | null;

  @Field(() => Int, { description: 'Distinct members the tracker received before the seal.' })
  memberCount!: number;

  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 the tracker computed from the members it received, at the seal.',
  })
  computedContentHash!: string | null;

  @Field()
  sealed!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'Member count the producer declared when sealing.',
  })
  sealedMemberCount!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Content hash the producer declared when sealing.',
  })
  sealedContentHash!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the declared hash matches the computed one; null until sealed.',
  })
  contentHashMatches!: boolean | null;

  @Field(() => String, { nullable: true, description: 'sft | rl | eval' })
  purpose!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date, { nullable: true })
  sealedAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => String, { description: 'Journal position of the first event about this version.' })
  position!: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'The journal time this view is as of (membership and seal as the journal held them then); null for the current state.',
  })
  asOf!: Date | null;
}

@ObjectType({ description: 'A member of a dataset version: a trajectory or a task, by id.' })
export class DatasetMember {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => ID)
  memberId!: string;

  @Field({ description: 'trajectory | task' })
  memberKind!: string;

  @Field(() => ID, { description: 'The dataset.members.added event that added it.' })
  addedByEventId!: string;

  @Field(() => String)
  position!: string;
}

@ObjectType({
  description:
    'Something the tracker noticed while building a version (added after the seal, duplicates, ...).',
})
export class DatasetFinding {
  @Field({
    description: 'added_after_seal | duplicate_member | member_kind_mismatch | sealed_again',
  })
  finding!: string;

  @Field(() => [ID])
  memberIds!: string[];

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Field(() => ID, { description: 'The event that caused it.' })
  eventId!: string;

  @Field(() => String)
  position!: string;
}

export interface DatasetVersionRow {
  dataset_id: string;
  version: number;
  member_kind: string | null;
  member_count: number;
  computed_content_hash: string | null;
  sealed: boolean;
  sealed_member_count: number | null;
  sealed_content_hash: string | null;
  purpose: string | null;
  description: string | null;
  sealed_at: Date | null;
  created_at: Date;
  position: string;
}

export function toDatasetVersion(row: DatasetVersionRow): DatasetVersion {
  return toDatasetVersionAsOf(row, null);
}

/** A version as the journal held it at `asOf` (the row then comes from the as-of query). */
export function toDatasetVersionAsOf(row: DatasetVersionRow, asOf: Date | null): DatasetVersion {
  return {
    datasetId: row.dataset_id,
    version: row.version,
    memberKind: row.member_kind,
    memberCount: row.member_count,
    computedContentHash: row.computed_content_hash,
    sealed: row.sealed,
    sealedMemberCount: row.sealed_member_count,
    sealedContentHash: row.sealed_content_hash,
    contentHashMatches: row.sealed ? row.computed_content_hash === row.sealed_content_hash : null,
    purpose: row.purpose,
    description: row.description,
    sealedAt: row.sealed_at,
    createdAt: row.created_at,
    position: row.position,
    asOf,
  };
}

export interface DatasetMemberRow {
  dataset_id: string;
  version: number;
  member_id: string;
  member_kind: string;
  event_id: string;
  position: string;
}

export function toDatasetMember(row: DatasetMemberRow): DatasetMember {
  return {
    datasetId: row.dataset_id,
    version: row.version,
    memberId: row.member_id,
    memberKind: row.member_kind,
    addedByEventId: row.event_id,
    position: row.position,
  };
}

export interface DatasetFindingRow {
  id: string;
  dataset_id: string;
  version: number;
  finding: string;
  member_ids: string[];
  detail: string | null;
  event_id: string;
  position: string;
}

export function toDatasetFinding(row: DatasetFindingRow): DatasetFinding {
  return {
    finding: row.finding,
    memberIds: row.member_ids,
    detail: row.detail,
    eventId: row.event_id,
    position: row.position,
  };
}
