import { decodeEvent } from '@tracker/events';
import {
  PROJECTION_TABLES,
  applyEvents,
  inTransaction,
  settleAfterTurn,
  type ApplyOptions,
  type JournaledEvent,
} from '@tracker/read-model';
import type { Pool } from 'pg';

const REPLAY_CHUNK = 5_000;
// The lock under which projectors reserve journal positions: no event is journaled mid-replay.
const RESERVATION_LOCK = 7_362_002;

export interface ReplayResult {
  readonly events: number;
  readonly lastPosition: string | null;
}

/**
 * Rebuilds every projection from the journal, in position order, in ONE transaction: readers
 * see the old state until the new one is complete, and a running projector waits meanwhile.
 * Journal, offsets and dead letters are kept.
 */
export async function replayJournal(
  pool: Pool,
  options: ApplyOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<ReplayResult> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [RESERVATION_LOCK]);
    await client.query(`TRUNCATE ${PROJECTION_TABLES.join(', ')} RESTART IDENTITY`);
    const total = Number((await client.query(`SELECT count(*) FROM event_journal`)).rows[0].count);
    let after = '0';
    let done = 0;
    for (;;) {
      const { rows } = await client.query<{ position: string; envelope: unknown }>(
        `SELECT position, envelope FROM event_journal WHERE position > $1 ORDER BY position LIMIT $2`,
        [after, REPLAY_CHUNK],
      );
      if (rows.length === 0) break;
      const events: JournaledEvent[] = rows.map((row) => {
        // Re-decoding applies today's upcasters to what was stored as received.
        const decoded = decodeEvent(row.envelope);
        if (!decoded.ok) {
          throw new Error(
            `journal position ${row.position} no longer decodes: ${decoded.rejection.reason}`,
          );
        }
        return { event: decoded.event, position: row.position };
      });
      await applyEvents(client, events, options);
      await settleAfterTurn(
        client,
        { first: rows[0].position, last: rows[rows.length - 1].position },
        new Set(events.map(({ event }) => event.type)),
      );
      after = rows[rows.length - 1].position;
      done += rows.length;
      onProgress?.(done, total);
    }
    return { events: done, lastPosition: done > 0 ? after : null };
  });
}
