import type { TrackerEvent } from '@tracker/events';
import { copyIn, copyText, type JournaledEvent, type Sql } from '@tracker/read-model';

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

/** An event to journal, with its place in the log and its index in the reservation. */
export interface JournalEntry {
  readonly event: TrackerEvent;
  readonly place: LogPlace;
  /** The message as it was in the log: journaled as received (falls back to the parsed envelope). */
  readonly raw: Buffer | null;
  readonly index: number;
}

const COLUMNS = [
  'position',
  'event_id',
  'type',
  'subject',
  'source',
  'event_time',
  'schema_version',
  'envelope',
  'log_topic',
  'log_partition',
  'log_offset',
  'logged_at',
];

const envelopeText = ({ raw, event }: JournalEntry) =>
  raw ? raw.toString('utf8') : JSON.stringify(event.envelope);
const loggedAt = ({ place }: JournalEntry) => new Date(Number(place.timestamp)).toISOString();
const positionOf = (reservation: JournalReservation, { index }: JournalEntry) =>
  String(reservation.firstPosition + BigInt(index));

/**
 * Appends events to the journal at their reserved positions (`firstPosition + index`); an
 * event id already there is skipped (dedupe across partitions and producer retries), leaving
 * its position unused. Returns the new ones with their positions, in order.
 *
 * `copy`: known ids are looked up first and the rest written by COPY, about twice as fast as
 * INSERT on this hot path. A concurrent transaction journaling the same id makes COPY fail
 * with a unique violation (a data error): the caller then redoes the batch event by event
 * through the INSERT path, whose ON CONFLICT waits for that transaction and skips the id.
 * Without `copy` (PGlite's socket cannot carry COPY FROM STDIN) every append is an INSERT.
 */
export async function appendToJournal(
  sql: Sql,
  entries: readonly JournalEntry[],
  reservation: JournalReservation,
  { copy }: { copy: boolean },
): Promise<JournaledEvent[]> {
  if (entries.length === 0) return [];
  const journaled = copy
    ? await copyNew(sql, entries, reservation)
    : await insertNew(sql, entries, reservation);
  return journaled.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
}

async function insertNew(
  sql: Sql,
  entries: readonly JournalEntry[],
  reservation: JournalReservation,
): Promise<JournaledEvent[]> {
  const { rows: inserted } = await sql.query<{ event_id: string; position: string }>(
    `INSERT INTO event_journal (${COLUMNS.join(', ')})
     SELECT position, event_id, type, subject, source, event_time, schema_version, envelope::json,
            log_topic, log_partition, log_offset, logged_at
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                 $7::int[], $8::text[], $9::text[], $10::int[], $11::bigint[], $12::timestamptz[])
       AS entry (position, event_id, type, subject, source, event_time, schema_version, envelope,
                 log_topic, log_partition, log_offset, logged_at)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id, position`,
    [
      entries.map((entry) => positionOf(reservation, entry)),
      entries.map(({ event }) => event.id),
      entries.map(({ event }) => event.type),
      entries.map(({ event }) => event.subject),
      entries.map(({ event }) => event.source),
      entries.map(({ event }) => event.time),
      entries.map(({ event }) => event.schemaVersion),
      entries.map(envelopeText),
      entries.map(({ place }) => place.topic),
      entries.map(({ place }) => place.partition),
      entries.map(({ place }) => place.offset),
      entries.map(loggedAt),
    ],
  );
  const positions = new Map(inserted.map((row) => [row.event_id, row.position]));
  return entries
    .filter(({ event }) => positions.has(event.id))
    .map(({ event }) => ({ event, position: positions.get(event.id)! }));
}

async function copyNew(
  sql: Sql,
  entries: readonly JournalEntry[],
  reservation: JournalReservation,
): Promise<JournaledEvent[]> {
  const { rows: known } = await sql.query<{ event_id: string }>(
    'SELECT event_id FROM event_journal WHERE event_id = ANY($1::text[])',
    [entries.map(({ event }) => event.id)],
  );
  const knownIds = new Set(known.map((row) => row.event_id));
  const fresh = entries.filter(({ event }) => !knownIds.has(event.id));
  if (fresh.length === 0) return [];
  const lines = fresh.map((entry) => {
    const { event, place } = entry;
    return [
      positionOf(reservation, entry),
      copyText(event.id),
      copyText(event.type),
      copyText(event.subject),
      copyText(event.source),
      event.time,
      String(event.schemaVersion),
      copyText(envelopeText(entry)),
      copyText(place.topic),
      String(place.partition),
      place.offset,
      loggedAt(entry),
    ];
  });
  await copyIn(sql, 'event_journal', COLUMNS, lines);
  return fresh.map((entry) => ({
    event: entry.event,
    position: positionOf(reservation, entry),
  }));
}
