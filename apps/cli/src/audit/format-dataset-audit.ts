import type { DatasetAuditResult } from '../../../api/src/reads/audit/dataset-audit.query';

const SHOWN_IDS = 10;

/** `a, b, c ... and 7 more`: the first few ids of a list. */
function ids(list: readonly string[]): string {
  const shown = list.slice(0, SHOWN_IDS).join(', ');
  return list.length > SHOWN_IDS ? `${shown} ... and ${list.length - SHOWN_IDS} more` : shown;
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const match = (value: boolean | null) =>
  value === null ? '' : value ? '  (match)' : '  (MISMATCH)';

/** The audit as the CLI prints it: the version, hashes and counts side by side, then each finding. */
export function formatDatasetAudit(audit: DatasetAuditResult): string {
  const lines = [
    `dataset ${audit.datasetId} version ${audit.version}${audit.asOf ? ` as of ${audit.asOf.toISOString()}` : ''}`,
    `  sealed             ${audit.sealed ? `yes, at ${audit.sealedAt?.toISOString() ?? '?'}` : 'no'}`,
    `  content hash`,
    `    sealed           ${audit.sealedContentHash ?? '-'}`,
    `    computed         ${audit.computedContentHash}${match(audit.hashMatches)}`,
    `  member count`,
    `    sealed           ${audit.sealedMemberCount ?? '-'}`,
    `    computed         ${audit.computedMemberCount}${audit.memberKind ? ` ${audit.memberKind}` : ''}${match(audit.memberCountMatches)}`,
    `  verified           ${yesNo(audit.verified)}`,
    `  journal position   ${audit.throughPosition}`,
  ];
  if (audit.findings.length === 0) {
    lines.push('findings: none');
  } else {
    lines.push(`findings: ${audit.findings.length}`);
    for (const finding of audit.findings) {
      lines.push(`  ${finding.kind}: ${finding.detail}`);
      if (finding.eventId)
        lines.push(`    event      ${finding.eventId} (journal position ${finding.position})`);
      if (finding.synthesisRunIds.length > 0)
        lines.push(`    runs       ${ids(finding.synthesisRunIds)}`);
      if (finding.toolIds.length > 0) lines.push(`    tools      ${ids(finding.toolIds)}`);
      if (finding.memberIds.length > 0)
        lines.push(`    members    (${finding.memberIds.length}) ${ids(finding.memberIds)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
