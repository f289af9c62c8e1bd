import type { TrackerEvent } from '@tracker/events';
import type { JournaledEvent, Sql } from '@tracker/read-model';

export interface LogPlace {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
}

// Positions are assigned under this lock, held to commit, so they become visible in order:
// a reader tailing the journal by position never skips one that commits later.
const POSITION_LOCK = 7_362_002;

/**
 * Appends events to the journal; an event id already there is skipped (dedupe across
 * partitions and producer retries). Returns the new ones with their positions, in order.
 */
export async function appendToJournal(
  sql: Sql,
  entries: ReadonlyArray<{ event: TrackerEvent; place: LogPlace }>,
): Promise<JournaledEvent[]> {
  if (entries.length === 0) return [];
  await sql.query('SELECT pg_advisory_xact_lock($1)', [POSITION_LOCK]);
  const rows = entries.map(({ event, place }) => ({
    event_id: event.id,
    type: event.type,
    subject: event.subject,
    source: event.source,
    event_time: event.time,
    schema_version: event.schemaVersion,
    envelope: event.envelope,
    log_topic: place.topic,
    log_partition: place.partition,
    log_offset: place.offset,
    logged_at: new Date(Number(place.timestamp)).toISOString(),
  }));
  const { rows: inserted } = await sql.query<{ event_id: string; position: string }>(
    `INSERT INTO event_journal (event_id, type, subject, source, event_time, schema_version, envelope,
                                log_topic, log_partition, log_offset, logged_at)
     SELECT event_id, type, subject, source, event_time, schema_version, envelope,
            log_topic, log_partition, log_offset, logged_at
     FROM json_populate_recordset(null::event_journal, $1::json)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id, position`,
    [JSON.stringify(rows)],
  );
  const positions = new Map(inserted.map((row) => [row.event_id, row.position]));
  return entries
    .filter(({ event }) => positions.has(event.id))
    .map(({ event }) => ({ event, position: positions.get(event.id)! }))
    .sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
}
