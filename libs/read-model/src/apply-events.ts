import type { EventType, TrackerEvent } from '@tracker/events';
import type { Sql } from './database/sql';
import { PROJECTIONS } from './projections';
import type { RowProjection, RowWrite, SequentialProjection } from './projections/projection';
import { keyOf, writeRows } from './row-writer';
import { TABLES } from './tables';

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
  // Edges belong to the event's first row: they are written only if that row was added by
  // this event (a later event reusing the id changes nothing, its edges included).
  const owned: Array<{ owner: RowWrite; edges: RowWrite[] }> = [];
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
    // Every event is listed, edges or not: the first one with a key is the one that claims it.
    owned.push({
      owner: rows[0],
      edges: edges.map((edge) => ({
        table: 'lineageEdges',
        row: { ...edge, position: journaled.position },
      })),
    });
  }
  const written = await writeRows(sql, writes, options);
  const claimed = new Set<string>();
  const edges = owned.flatMap(({ owner, edges: ownEdges }) => {
    const added = written.get(owner.table);
    if (!added) return ownEdges; // merge tables: every event adds to the row
    const key = keyOf(TABLES[owner.table], owner.row);
    const claim = `${owner.table}\u0000${key}`;
    // The first event of the batch with a key is the one whose row a first-wins insert kept.
    if (!added.has(key) || claimed.has(claim)) return [];
    claimed.add(claim);
    return ownEdges;
  });
  if (edges.length > 0) await writeRows(sql, edges, options);
  for (const { event, position } of sequential) {
    await (PROJECTIONS[event.type] as SequentialProjection<typeof event.type>).apply(
      sql,
      event as never,
      position,
    );
  }
}
