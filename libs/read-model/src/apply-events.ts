import type { EventType, TrackerEvent } from '@tracker/events';
import type { Sql } from './database/sql';
import { PROJECTIONS } from './projections';
import type { RowProjection, RowWrite, SequentialProjection } from './projections/projection';
import { writeRows } from './row-writer';

/** An event that is in the journal, with the position the journal gave it. */
export interface JournaledEvent {
  readonly event: TrackerEvent;
  readonly position: string;
}

export interface ApplyOptions {
  /** Bulk rows may go by COPY: a real Postgres connection (PGlite's socket cannot carry it). */
  readonly copy: boolean;
}

/**
 * Applies events (in journal order, each new to the read model) inside the caller's
 * transaction: row projections set-based in one pass, then order-sensitive ones one by one.
 */
export async function applyEvents(
  sql: Sql,
  events: readonly JournaledEvent[],
  options: ApplyOptions,
): Promise<void> {
  const writes: RowWrite[] = [];
  const sequential: JournaledEvent[] = [];
  for (const journaled of events) {
    const projection = PROJECTIONS[journaled.event.type];
    if (projection.mode === 'sequential') {
      sequential.push(journaled);
      continue;
    }
    const { rows, edges } = (projection as RowProjection<EventType>).project(
      journaled.event as never,
      journaled.position,
    );
    writes.push(...rows);
    for (const edge of edges)
      writes.push({ table: 'lineageEdges', row: { ...edge, position: journaled.position } });
  }
  await writeRows(sql, writes, options);
  for (const { event, position } of sequential) {
    await (PROJECTIONS[event.type] as SequentialProjection<typeof event.type>).apply(
      sql,
      event as never,
      position,
    );
  }
}
