import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AuditFinding } from './audit-findings';
import type { DatasetAuditResult } from './dataset-audit.query';

@ObjectType({ description: 'Something wrong with a dataset version, and the members it concerns.' })
export class DatasetAuditFinding {
  @Field({
    description:
      'Stored when the event was projected: added_after_seal | duplicate_member | member_kind_mismatch | sealed_again. ' +
      'Computed when the audit runs, against the current read model: unknown_member (no trajectory/task recorded) | ' +
      'judge_rejected (trajectory judgement passed = false) | failed_synthesis_run (trajectory from a run completed as failed) | ' +
      'unregistered_tool (trajectory calling a tool never registered).',
  })
  kind!: string;

  @Field(() => [ID], { description: 'The members concerned, sorted by code point.' })
  memberIds!: string[];

  @Field(() => Int)
  memberCount!: number;

  @Field(() => [ID], { description: 'unregistered_tool: the tool ids never registered.' })
  toolIds!: string[];

  @Field(() => [ID], { description: 'failed_synthesis_run: the synthesis runs that failed.' })
  synthesisRunIds!: string[];

  @Field()
  detail!: string;

  @Field(() => ID, { nullable: true, description: 'The event that caused it (stored findings).' })
  eventId!: string | null;

  @Field(() => String, { nullable: true, description: "That event's journal position." })
  position!: string | null;
}

@ObjectType({
  description:
    'Is a dataset version exactly what was sealed (content hash and member count declared in dataset.sealed, next to the ones the tracker computed from the members it received), and what is wrong with its members.',
})
export class DatasetAudit {
  @Field(() => ID)
  datasetId!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'The journal time the audit is as of; null for the current state.',
  })
  asOf!: Date | null;

  @Field(() => String, { nullable: true, description: 'trajectory | task' })
  memberKind!: string | null;

  @Field()
  sealed!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the producer sealed it (its time).' })
  sealedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Content hash declared in dataset.sealed.' })
  sealedContentHash!: string | null;

  @Field(() => Int, { nullable: true, description: 'Member count declared in dataset.sealed.' })
  sealedMemberCount!: number | null;

  @Field({
    description:
      'SHA-256 (lowercase hex) of the distinct member ids the tracker received, sorted by code point and joined by "\\n".',
  })
  computedContentHash!: string;

  @Field(() => Int, { description: 'Distinct members the tracker received.' })
  computedMemberCount!: number;

  @Field(() => Boolean, { nullable: true, description: 'Null until sealed.' })
  hashMatches!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Null until sealed.' })
  memberCountMatches!: boolean | null;

  @Field({ description: 'Sealed, and both the content hash and the member count match.' })
  verified!: boolean;

  @Field(() => String, {
    description:
      'The last journal position the audit read: members and findings after it were not there yet.',
  })
  throughPosition!: string;

  @Field(() => [DatasetAuditFinding], {
    description: 'Stored findings in journal order, then the computed ones.',
  })
  findings!: DatasetAuditFinding[];
}

const toFinding = (finding: AuditFinding): DatasetAuditFinding => ({
  ...finding,
  memberCount: finding.memberIds.length,
});

export const toDatasetAudit = (audit: DatasetAuditResult): DatasetAudit => ({
  ...audit,
  findings: audit.findings.map(toFinding),
});
