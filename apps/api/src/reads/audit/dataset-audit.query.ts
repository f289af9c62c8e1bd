import { inSnapshot, type Sql } from '@tracker/read-model';
import type { Pool } from 'pg';
import { sealEventsSql } from '../datasets/dataset-as-of.sql';
import type { DatasetVersionRow } from '../datasets/dataset-version.model';
import type { DatasetVersionView } from '../datasets/dataset-version.query';
import { cutContent } from '../datasets/member-content.query';
import { cutConditionSql, cutParams, type MemberCut } from '../datasets/member-cut.sql';
import {
  compareCodePoints,
  computedFindings,
  type AuditFinding,
  type AuditFindingKind,
} from './audit-findings';
import { computeMemberChecks } from './member-checks.query';
import { memberIssues } from './member-issues.query';

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
}

/** The version row, the journal position the audit reads through, and when its events were journaled. */
async function auditState(sql: Sql, key: DatasetVersionView): Promise<AuditStateRow | null> {
  const { rows } = await sql.query<AuditStateRow>(
    `SELECT v.*, (SELECT max(position) FROM event_journal)::text AS through,
       first_event.projected_at AS first_journaled_at,
       seal.projected_at AS seal_journaled_at
     FROM dataset_versions v
     JOIN event_journal first_event ON first_event.position = v.position
     LEFT JOIN LATERAL (${sealEventsSql('v.dataset_id', 'v.version')} ORDER BY s.position LIMIT 1) seal ON true
     WHERE v.dataset_id = $1 AND v.version = $2`,
    [key.datasetId, key.version],
  );
  return rows[0] ?? null;
}

async function storedFindings(sql: Sql, cut: MemberCut): Promise<AuditFinding[]> {
  const { rows } = await sql.query<{
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

/**
 * Audits a dataset version (now, or as the journal held it at `view.asOf`); null if the version
 * is unknown (then). One read-only snapshot: the members, findings and checks agree. A current
 * audit reads the member issues the projector keeps (a few rows for 50,000 members); an as-of
 * audit works them out from the members journaled by then. The content hash is recomputed only
 * for an unsealed view: a sealed version's members are fixed, and the tracker computed their
 * hash when it sealed.
 */
export function auditDatasetVersion(
  pool: Pool,
  view: DatasetVersionView,
): Promise<DatasetAuditResult | null> {
  return inSnapshot(pool, (client) => auditInSnapshot(client, view));
}

async function auditInSnapshot(
  sql: Sql,
  view: DatasetVersionView,
): Promise<DatasetAuditResult | null> {
  const state = await auditState(sql, view);
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
  const stored = await storedFindings(sql, cut);
  const checks = view.asOf ? await computeMemberChecks(sql, cut) : await memberIssues(sql, view);
  const content = sealed
    ? { count: state.member_count, hash: state.computed_content_hash! }
    : await cutContent(sql, cut);
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
    findings: [...stored, ...computedFindings(checks)],
  };
}
