// Key: (dataset_id, version). Order: closes the version to members that come after it in the
// journal (applied sequentially); a second seal is a finding, not a rewrite. The tracker's own
// content hash (SHA-256 of the distinct member ids sorted by code point, joined by \n) is
// stored next to the sealed one. Idempotent: the journal's event-id dedupe.
import { lockDatasetVersion, recordDatasetFinding } from './dataset-version.sql';
import type { SequentialProjection } from './projection';

export const datasetSealedProjection: SequentialProjection<'dataset.sealed'> = {
  mode: 'sequential',
  async apply(sql, { id, data, time }, position) {
    const { datasetId, version } = data;
    const current = await lockDatasetVersion(sql, {
      datasetId,
      version,
      memberKind: null,
      time,
      position,
    });
    if (current.sealed) {
      await recordDatasetFinding(sql, {
        datasetId,
        version,
        eventId: id,
        position,
        finding: 'sealed_again',
        memberIds: [],
        detail: `sealed again with hash ${data.contentHash} and ${data.memberCount} member(s); the first seal stands`,
      });
      return;
    }
    // COLLATE "C" orders by UTF-8 bytes, which is code point order.
    await sql.query(
      `UPDATE dataset_versions SET
         sealed = true,
         sealed_member_count = $3,
         sealed_content_hash = $4,
         purpose = $5,
         description = $6,
         sealed_at = $7,
         computed_content_hash = (
           SELECT encode(sha256(convert_to(coalesce(string_agg(member_id, E'\\n' ORDER BY member_id COLLATE "C"), ''), 'UTF8')), 'hex')
           FROM dataset_members WHERE dataset_id = $1 AND version = $2)
       WHERE dataset_id = $1 AND version = $2`,
      [
        datasetId,
        version,
        data.memberCount,
        data.contentHash,
        data.purpose ?? null,
        data.description ?? null,
        time,
      ],
    );
  },
};
