import type { Pool } from 'pg';
import { sealEventsSql } from '../datasets/dataset-as-of.sql';
import type { DatasetVersionRow } from '../datasets/dataset-version.model';
import type { DatasetVersionView } from '../datasets/dataset-version.query';
import {
  compareCodePoints,
  computedFindings,
  type AuditFinding,
  type AuditFindingKind,
} from './audit-findings';
import {
  checkTrajectoryMembers,
  unknownTaskMembers,
  unregisteredToolCalls,
} from './member-checks.query';
import { cutContent } from '../datasets/member-content.query';
import { cutConditionSql, cutParams, type MemberCut } from '../datasets/member-cut.sql';

/** Is a dataset version exactly what was sealed, and what is wrong with its members. */
export interface DatasetAuditResult {
  datasetId: string;
  version: number;
  /** Null: the version now; else as the journal held it then. */
  asOf: Date | null;
  memberKind: string | null;
  sealed: boolean;
  sealedAt: Date | null;
  /** What the producer declared in dataset.sealed. */
  sealedContentHash: string | null;
  sealedMemberCount: number | null;
  /** What the tracker computed from the members it received. */
  computedContentHash: string;
  computedMemberCount: number;
  /** Null until sealed. */
  hashMatches: boolean | null;
  memberCountMatches: boolean | null;
  /** Sealed, and both the hash and the member count match. */
  verified: boolean;
  /** The last journal position the audit read (see MemberCut). */
  throughPosition: string;
  /** Stored findings in journal order, then the computed ones. */
  findings: AuditFinding[];
}

interface AuditStateRow extends DatasetVersionRow {
  through: string;
  first_journaled_at: Date;
  seal_journaled_at: Date | null;
  mixed_kinds: boolean;
}

/** The version row, the journal position the audit reads through, and when its events were journaled. */
async function auditState(pool: Pool, key: DatasetVersionView): Promise<AuditStateRow | null> {
  const { rows } = await pool.query<AuditStateRow>(
    `SELECT v.*, (SELECT max(position) FROM event_journal)::text AS through,
       first_event.projected_at AS first_journaled_at,
       seal.projected_at AS seal_journaled_at,
       EXISTS (SELECT 1 FROM dataset_findings f
               WHERE f.dataset_id = v.dataset_id AND f.version = v.version
                 AND f.finding = 'member_kind_mismatch') AS mixed_kinds
     FROM dataset_versions v
     JOIN event_journal first_event ON first_event.position = v.position
     LEFT JOIN LATERAL (${sealEventsSql('v.dataset_id', 'v.version')} ORDER BY s.position LIMIT 1) seal ON true
     WHERE v.dataset_id = $1 AND v.version = $2`,
    [key.datasetId, key.version],
  );
  return rows[0] ?? null;
}

async function storedFindings(pool: Pool, cut: MemberCut): Promise<AuditFinding[]> {
  const { rows } = await pool.query<{
    finding: AuditFindingKind;
    member_ids: string[];
    detail: string | null;
    event_id: string;
    position: string;
  }>(
    `SELECT f.finding, f.member_ids, f.detail, f.event_id, f.position FROM dataset_findings f
     WHERE ${cutConditionSql(cut, 'f')}
     ORDER BY f.position, f.id`,
    cutParams(cut),
  );
  return rows.map((row) => ({
    kind: row.finding,
    memberIds: [...row.member_ids].sort(compareCodePoints),
    toolIds: [],
    synthesisRunIds: [],
    detail: row.detail ?? row.finding,
    eventId: row.event_id,
    position: row.position,
  }));
}

const NO_TRAJECTORY_CHECKS = {
  unknownIds: [],
  rejectedIds: [],
  failedRunMemberIds: [],
  failedRunIds: [],
};
const NO_TOOL_CALLS = { toolIds: [], memberIds: [] };

/**
 * Audits a dataset version (now, or as the journal held it at `view.asOf`); null if the version
 * is unknown (then). The checks run concurrently, each one set-based statement over the same
 * members; the content hash is recomputed only for an unsealed view: a sealed version's
 * members are fixed, and the tracker computed their hash when it sealed.
 */
export async function auditDatasetVersion(
  pool: Pool,
  view: DatasetVersionView,
): Promise<DatasetAuditResult | null> {
  const state = await auditState(pool, view);
  if (!state || (view.asOf && state.first_journaled_at > view.asOf)) return null;
  const sealed =
    state.sealed &&
    (!view.asOf || (state.seal_journaled_at !== null && state.seal_journaled_at <= view.asOf));
  const cut: MemberCut = {
    datasetId: view.datasetId,
    version: view.version,
    through: state.through,
    asOf: view.asOf,
  };
  const checks = (kind: string) => state.member_kind === kind || state.mixed_kinds;
  const [stored, trajectories, unknownTasks, toolCalls, content] = await Promise.all([
    storedFindings(pool, cut),
    checks('trajectory') ? checkTrajectoryMembers(pool, cut) : NO_TRAJECTORY_CHECKS,
    checks('task') ? unknownTaskMembers(pool, cut) : [],
    checks('trajectory') ? unregisteredToolCalls(pool, cut) : NO_TOOL_CALLS,
    sealed
      ? { count: state.member_count, hash: state.computed_content_hash! }
      : cutContent(pool, cut),
  ]);
  const hashMatches = sealed ? state.sealed_content_hash === content.hash : null;
  const memberCountMatches = sealed ? state.sealed_member_count === content.count : null;
  return {
    datasetId: view.datasetId,
    version: view.version,
    asOf: view.asOf,
    memberKind: content.count > 0 ? state.member_kind : null,
    sealed,
    sealedAt: sealed ? state.sealed_at : null,
    sealedContentHash: sealed ? state.sealed_content_hash : null,
    sealedMemberCount: sealed ? state.sealed_member_count : null,
    computedContentHash: content.hash,
    computedMemberCount: content.count,
    hashMatches,
    memberCountMatches,
    verified: sealed && hashMatches === true && memberCountMatches === true,
    throughPosition: state.through,
    findings: [
      ...stored,
      ...computedFindings({
        unknownTrajectoryIds: trajectories.unknownIds,
        unknownTaskIds: unknownTasks,
        rejectedIds: trajectories.rejectedIds,
        failedRunMemberIds: trajectories.failedRunMemberIds,
        failedRunIds: trajectories.failedRunIds,
        unregisteredToolIds: toolCalls.toolIds,
        unregisteredToolMemberIds: toolCalls.memberIds,
      }),
    ],
  };
}
