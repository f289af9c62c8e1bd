import type { Sql } from '@tracker/read-model';

/**
 * Locks this group's row for the partition and returns the last applied offset (-1 if none).
 * The lock makes two projectors that briefly both hold the partition (rebalance) take turns,
 * and the second one then skips what the first applied.
 */
export async function lockConsumerOffset(sql: Sql, groupId: string, topic: string, partition: number): Promise<bigint> {
  await sql.query(
    `INSERT INTO consumer_offsets (group_id, log_topic, log_partition, last_offset, high_watermark)
     VALUES ($1, $2, $3, -1, 0) ON CONFLICT DO NOTHING`,
    [groupId, topic, partition],
  );
  const { rows } = await sql.query<{ last_offset: string }>(
    `SELECT last_offset FROM consumer_offsets
     WHERE group_id = $1 AND log_topic = $2 AND log_partition = $3 FOR UPDATE`,
    [groupId, topic, partition],
  );
  return BigInt(rows[0].last_offset);
}

export async function storeConsumerOffset(
  sql: Sql,
  place: { groupId: string; topic: string; partition: number; lastOffset: string; highWatermark: string },
): Promise<void> {
  await sql.query(
    `UPDATE consumer_offsets SET last_offset = $4, high_watermark = $5, updated_at = now()
     WHERE group_id = $1 AND log_topic = $2 AND log_partition = $3`,
    [place.groupId, place.topic, place.partition, place.lastOffset, place.highWatermark],
  );
}
