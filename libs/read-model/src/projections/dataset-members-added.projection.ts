// Key: (dataset_id, version, member_id). Order: members count only while the version is not
// sealed, in journal order (so applied sequentially); later ones become findings, as do
// duplicates and a member kind differing from the version's. Idempotent: the journal's event-id
// dedupe plus ON CONFLICT DO NOTHING on members and edges.
import { datasetVersionNode } from '../lineage/node-id';
import { lockDatasetVersion, recordDatasetFinding } from './dataset-version.sql';
import type { SequentialProjection } from './projection';

export const datasetMembersAddedProjection: SequentialProjection<'dataset.members.added'> = {
  mode: 'sequential',
  async apply(sql, { id, data, time }, position) {
    const { datasetId, version, memberKind, memberIds } = data;
    const finding = { datasetId, version, eventId: id, position };
    const current = await lockDatasetVersion(sql, {
      datasetId,
      version,
      memberKind,
      time,
      position,
    });
    if (current.sealed) {
      await recordDatasetFinding(sql, {
        ...finding,
        finding: 'added_after_seal',
        memberIds: [...new Set(memberIds)],
        detail: `${memberIds.length} member(s) arrived after version ${version} was sealed and were not added`,
      });
      return;
    }
    if (current.memberKind !== null && current.memberKind !== memberKind) {
      await recordDatasetFinding(sql, {
        ...finding,
        finding: 'member_kind_mismatch',
        memberIds: [...new Set(memberIds)],
        detail: `members added as ${memberKind} to a version of ${current.memberKind} members`,
      });
    }
    const { rows } = await sql.query<{ member_id: string }>(
      `INSERT INTO dataset_members (dataset_id, version, member_id, member_kind, event_id, position)
       SELECT $1, $2, member_id, $3, $4, $5 FROM unnest($6::text[]) AS member_id
       ON CONFLICT (dataset_id, version, member_id) DO NOTHING
       RETURNING member_id`,
      [datasetId, version, memberKind, id, position, memberIds],
    );
    const inserted = rows.map((row) => row.member_id);
    if (inserted.length < memberIds.length) {
      const remaining = new Set(inserted);
      const duplicates = memberIds.filter((memberId) => !remaining.delete(memberId));
      await recordDatasetFinding(sql, {
        ...finding,
        finding: 'duplicate_member',
        memberIds: [...new Set(duplicates)],
        detail: `${duplicates.length} member addition(s) repeated members already in the version`,
      });
    }
    if (inserted.length === 0) return;
    await sql.query(
      `UPDATE dataset_versions SET member_count = member_count + $3,
         member_kind = COALESCE(member_kind, $4)
       WHERE dataset_id = $1 AND version = $2`,
      [datasetId, version, inserted.length, memberKind],
    );
    await sql.query(
      `INSERT INTO lineage_edges (src, relation, dst, position)
       SELECT $1, 'contains', $2 || ':' || member_id, $3 FROM unnest($4::text[]) AS member_id
       ON CONFLICT DO NOTHING`,
      [datasetVersionNode(datasetId, version), memberKind, position, inserted],
    );
  },
};
