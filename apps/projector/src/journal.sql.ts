import type { TrackerEvent } from '@tracker/events';
import type { JournaledEvent, Sql } from '@tracker/read-model';

export interface LogPlace {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: string;
}

/** A transaction's place in the journal's commit order, and the positions it may use. */
export interface JournalReservation {
  readonly ticket: string;
  readonly firstPosition: bigint;
}

/**
 * Reserves `count` consecutive positions and a ticket (see the journal-commit-order
 * migration). The transaction must call {@link awaitJournalTurn} before it commits.
 */
export async function reserveJournal(sql: Sql, count: number): Promise<JournalReservation> {
  const { rows } = await sql.query<{ ticket: string; first_position: string }>(
    'SELECT ticket, first_position FROM tracker_reserve_journal($1)',
    [count],
  );
  return { ticket: rows[0].ticket, firstPosition: BigInt(rows[0].first_position) };
}

/** Waits until every transaction with an earlier ticket has ended, so commits keep position order. */
export async function awaitJournalTurn(sql: Sql, reservation: JournalReservation): Promise<void> {
  await sql.query('SELECT tracker_await_journal_turn($1)', [reservation.ticket]);
}

/**
 * Appends events to the journal at their reserved positions (`firstPosition + index`); an
 * event id already there is skipped (dedupe across partitions and producer retries), leaving
 * its position unused. Returns the new ones with their positions, in order.
 */
export async function appendToJournal(
  sql: Sql,
  entries: ReadonlyArray<{ event: TrackerEvent; place: LogPlace; index: number }>,
  reservation: JournalReservation,
): Promise<JournaledEvent[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(({ event, place, index }) => ({
    position: String(reservation.firstPosition + BigInt(index)),
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
    `INSERT INTO event_journal (position, event_id, type, subject, source, event_time, schema_version, envelope,
                                log_topic, log_partition, log_offset, logged_at)
     SELECT position, event_id, type, subject, source, event_time, schema_version, envelope,
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
