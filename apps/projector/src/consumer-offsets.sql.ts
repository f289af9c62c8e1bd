import type { Sql } from '@tracker/read-model';

export interface PartitionKey {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Locks this group's offset rows of the given partitions (creating missing ones) and returns
 * the last applied offset of each (-1 if none), keyed `topic:partition`. The locks make two
 * projectors that briefly both hold a partition (rebalance) take turns, and the second then
 * skips what the first applied. Rows are locked in one statement, in partition order.
 */
export async function lockConsumerOffsets(
  sql: Sql,
  groupId: string,
  partitions: readonly PartitionKey[],
): Promise<Map<string, bigint>> {
  const topics = partitions.map((key) => key.topic);
  const numbers = partitions.map((key) => key.partition);
  await sql.query(
    `INSERT INTO consumer_offsets (group_id, log_topic, log_partition, last_offset, high_watermark)
     SELECT $1, topic, partition, -1, 0 FROM unnest($2::text[], $3::int[]) AS p(topic, partition)
     ORDER BY topic, partition
     ON CONFLICT DO NOTHING`,
    [groupId, topics, numbers],
  );
  const { rows } = await sql.query<{
    log_topic: string;
    log_partition: number;
    last_offset: string;
  }>(
    `SELECT o.log_topic, o.log_partition, o.last_offset FROM consumer_offsets o
     JOIN unnest($2::text[], $3::int[]) AS p(topic, partition) ON o.log_topic = p.topic AND o.log_partition = p.partition
     WHERE o.group_id = $1
     ORDER BY o.log_topic, o.log_partition
     FOR UPDATE OF o`,
    [groupId, topics, numbers],
  );
  return new Map(
    rows.map((row) => [`${row.log_topic}:${row.log_partition}`, BigInt(row.last_offset)]),
  );
}

export async function storeConsumerOffsets(
  sql: Sql,
  groupId: string,
  offsets: ReadonlyArray<PartitionKey & { lastOffset: string; highWatermark: string }>,
): Promise<void> {
  if (offsets.length === 0) return;
  await sql.query(
    `UPDATE consumer_offsets o SET last_offset = p.last_offset, high_watermark = p.high_watermark, updated_at = now()
     FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS p(topic, partition, last_offset, high_watermark)
     WHERE o.group_id = $1 AND o.log_topic = p.topic AND o.log_partition = p.partition`,
    [
      groupId,
      offsets.map((offset) => offset.topic),
      offsets.map((offset) => offset.partition),
      offsets.map((offset) => offset.lastOffset),
      offsets.map((offset) => offset.highWatermark),
    ],
  );
}
