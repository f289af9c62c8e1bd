import type { PartitionEnds } from '@tracker/log';
import type { Pool } from 'pg';
import type {
  LastProjectedEvent,
  PartitionStatus,
  ProjectorStatus,
} from './projector-status.model';

/**
 * The projector's offsets for `groupId` against the log's current partition ends (`ends`;
 * undefined when the log did not answer: then against the ends seen with the last batches),
 * the last journaled event and the counts.
 */
export async function readProjectorStatus(
  pool: Pool,
  groupId: string,
  ends: readonly PartitionEnds[] | undefined,
): Promise<ProjectorStatus> {
  const [offsets, last, counts] = await Promise.all([
    pool.query<{
      log_topic: string;
      log_partition: number;
      last_offset: string;
      high_watermark: string;
      lag: string;
      updated_at: Date;
    }>(
      `SELECT log_topic, log_partition, last_offset, high_watermark,
              greatest(high_watermark - 1 - last_offset, 0) AS lag, updated_at
       FROM consumer_offsets WHERE group_id = $1 ORDER BY log_topic, log_partition`,
      [groupId],
    ),
    pool.query<{
      position: string;
      event_id: string;
      type: string;
      subject: string;
      source: string;
      event_time: Date;
      projected_at: Date;
    }>(
      `SELECT position, event_id, type, subject, source, event_time, projected_at
       FROM event_journal ORDER BY position DESC LIMIT 1`,
    ),
    pool.query<{ journal_events: string; dead_letters: string }>(
      `SELECT (SELECT count(*) FROM event_journal) AS journal_events, (SELECT count(*) FROM dead_letters) AS dead_letters`,
    ),
  ]);
  const stored: PartitionStatus[] = offsets.rows.map((row) => ({
    topic: row.log_topic,
    partition: row.log_partition,
    lastOffset: row.last_offset,
    highWatermark: row.high_watermark,
    lag: Number(row.lag),
    updatedAt: row.updated_at,
  }));
  const partitions = ends ? againstLogEnds(stored, ends) : stored;
  const lastRow = last.rows[0];
  const lastEvent: LastProjectedEvent | null = lastRow
    ? {
        position: lastRow.position,
        eventId: lastRow.event_id,
        type: lastRow.type,
        subject: lastRow.subject,
        source: lastRow.source,
        time: lastRow.event_time,
        projectedAt: lastRow.projected_at,
      }
    : null;
  return {
    logReachable: ends !== undefined,
    groupId,
    partitions,
    totalLag: partitions.reduce((sum, partition) => sum + partition.lag, 0),
    lastEvent,
    journalEvents: Number(counts.rows[0].journal_events),
    deadLetters: Number(counts.rows[0].dead_letters),
  };
}

/**
 * Every partition the log has now, with its lag against the current high watermark; a
 * partition never applied yet counts from its first retained message. Partitions of other
 * topics (an earlier KAFKA_TOPIC) keep their stored figures.
 */
function againstLogEnds(
  stored: PartitionStatus[],
  ends: readonly PartitionEnds[],
): PartitionStatus[] {
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const byKey = new Map(stored.map((status) => [key(status.topic, status.partition), status]));
  const topics = new Set(ends.map((end) => end.topic));
  const current = ends.map((end): PartitionStatus => {
    const known = byKey.get(key(end.topic, end.partition));
    const applied =
      known?.lastOffset != null ? BigInt(known.lastOffset) : BigInt(end.lowWatermark) - 1n;
    const lag = BigInt(end.highWatermark) - 1n - applied;
    return {
      topic: end.topic,
      partition: end.partition,
      lastOffset: known?.lastOffset ?? null,
      highWatermark: end.highWatermark,
      lag: lag > 0n ? Number(lag) : 0,
      updatedAt: known?.updatedAt ?? null,
    };
  });
  const others = stored.filter((status) => !topics.has(status.topic));
  return [...current, ...others].sort((a, b) =>
    a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
  );
}
