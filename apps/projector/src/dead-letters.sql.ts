import type { Sql } from '@tracker/read-model';
import type { LogPlace } from './journal.sql';

export interface DeadLetter {
  readonly place: LogPlace;
  readonly stage: 'decode' | 'project';
  readonly reason: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly raw: Buffer | null;
}

/** Keeps refused messages with their reason and exact bytes; one row per log place. */
export async function recordDeadLetters(sql: Sql, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await sql.query(
    `INSERT INTO dead_letters (log_topic, log_partition, log_offset, stage, reason, event_id, event_type, raw, logged_at)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::timestamptz[])
     ON CONFLICT (log_topic, log_partition, log_offset) DO NOTHING`,
    [
      letters.map((letter) => letter.place.topic),
      letters.map((letter) => letter.place.partition),
      letters.map((letter) => letter.place.offset),
      letters.map((letter) => letter.stage),
      // Postgres text cannot hold NUL; the raw bytes keep the original.
      letters.map((letter) => letter.reason.replaceAll('\u0000', '\\u0000')),
      letters.map((letter) => letter.eventId?.replaceAll('\u0000', '\\u0000') ?? null),
      letters.map((letter) => letter.eventType?.replaceAll('\u0000', '\\u0000') ?? null),
      letters.map((letter) => letter.raw),
      letters.map((letter) => new Date(Number(letter.place.timestamp)).toISOString()),
    ],
  );
}
