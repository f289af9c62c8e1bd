import type { EventType } from '@tracker/events';
import type { Sql } from '../database/sql';

/** The journal positions of one transaction's events, first and last (bigint as text). */
export interface JournalRange {
  readonly first: string;
  readonly last: string;
}

/** Keeps rows that join several events' rows, whatever order they arrive in (see settle.ts). */
export interface Settler {
  /** The event types whose rows it settles. */
  readonly types: ReadonlySet<EventType>;
  /** Settles the rows added in `range`, inside the caller's transaction, after its turn. */
  settle(sql: Sql, range: JournalRange, types: ReadonlySet<EventType>): Promise<void>;
}
