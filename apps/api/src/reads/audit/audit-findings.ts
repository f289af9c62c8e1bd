/** Findings the projection stored while building the version (dataset_findings). */
export const STORED_FINDING_KINDS = [
  'added_after_seal',
  'duplicate_member',
  'member_kind_mismatch',
  'sealed_again',
] as const;

/** Findings computed when the audit runs, against the current read model. */
export const COMPUTED_FINDING_KINDS = [
  'unknown_member',
  'judge_rejected',
  'failed_synthesis_run',
  'unregistered_tool',
] as const;

export type AuditFindingKind =
  (typeof STORED_FINDING_KINDS)[number] | (typeof COMPUTED_FINDING_KINDS)[number];

/** Something wrong with a dataset version, and the members it concerns. */
export interface AuditFinding {
  kind: AuditFindingKind;
  /** Sorted by code point. */
  memberIds: string[];
  /** unregistered_tool: the tool ids without a tool.registered event. */
  toolIds: string[];
  /** failed_synthesis_run: the runs whose synthesis.completed said failed. */
  synthesisRunIds: string[];
  detail: string;
  /** The event that caused it, for stored findings. */
  eventId: string | null;
  position: string | null;
}

export interface ComputedChecks {
  unknownTrajectoryIds: string[];
  unknownTaskIds: string[];
  rejectedIds: string[];
  failedRunMemberIds: string[];
  failedRunIds: string[];
  unregisteredToolIds: string[];
  unregisteredToolMemberIds: string[];
}

const LISTED = 10;

/** `a, b, c and 7 more`: ids for a sentence, the first few of them. */
export function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).join(', ');
  return ids.length > LISTED ? `${shown} and ${ids.length - LISTED} more` : shown;
}

const members = (count: number, kind: string) => `${count} ${kind} member${count === 1 ? '' : 's'}`;

/** UTF-8 byte order, which is code point order (the content hash's order). */
export function compareCodePoints(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

/** The computed findings, one per kind that has members, in the order of COMPUTED_FINDING_KINDS. */
export function computedFindings(checks: ComputedChecks): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const add = (
    kind: AuditFindingKind,
    memberIds: string[],
    detail: string,
    related: { toolIds?: string[]; synthesisRunIds?: string[] } = {},
  ) => {
    if (memberIds.length === 0) return;
    findings.push({
      kind,
      memberIds,
      toolIds: related.toolIds ?? [],
      synthesisRunIds: related.synthesisRunIds ?? [],
      detail,
      eventId: null,
      position: null,
    });
  };
  const { unknownTrajectoryIds: trajectories, unknownTaskIds: tasks } = checks;
  add(
    'unknown_member',
    [...trajectories, ...tasks].sort(compareCodePoints),
    [
      trajectories.length > 0 &&
        `${members(trajectories.length, 'trajectory')} never recorded (no trajectory.recorded)`,
      tasks.length > 0 && `${members(tasks.length, 'task')} never defined (no task.defined)`,
    ]
      .filter(Boolean)
      .join('; '),
  );
  add(
    'judge_rejected',
    checks.rejectedIds,
    `${members(checks.rejectedIds.length, 'trajectory')} rejected by the judge (judgement.passed = false)`,
  );
  add(
    'failed_synthesis_run',
    checks.failedRunMemberIds,
    `${members(checks.failedRunMemberIds.length, 'trajectory')} from synthesis runs that failed: ${listIds(checks.failedRunIds)}`,
    { synthesisRunIds: checks.failedRunIds },
  );
  add(
    'unregistered_tool',
    checks.unregisteredToolMemberIds,
    `${members(checks.unregisteredToolMemberIds.length, 'trajectory')} calling tools never registered: ${listIds(checks.unregisteredToolIds)}`,
    { toolIds: checks.unregisteredToolIds },
  );
  return findings;
}
