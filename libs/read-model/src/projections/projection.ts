import type { EventType, TrackerEventOf } from '@tracker/events';
import type { Sql } from '../database/sql';
import type { Edge } from '../lineage/node-id';
import type { TableName } from '../tables';

export interface RowWrite {
  readonly table: TableName;
  readonly row: Record<string, unknown>;
}

/** What one event adds to the read model; the runner writes a whole batch of these set-based. */
export interface ProjectionWrites {
  readonly rows: readonly RowWrite[];
  readonly edges: readonly Edge[];
}

/** Most projections: a pure function of the event and its journal position. */
export interface RowProjection<Type extends EventType> {
  readonly mode: 'rows';
  project(event: TrackerEventOf<Type>, position: string): ProjectionWrites;
}

/**
 * Projections whose effect depends on what came before in the same stream (a dataset seal
 * closes the version to later members): applied one event at a time, in journal order.
 */
export interface SequentialProjection<Type extends EventType> {
  readonly mode: 'sequential';
  apply(sql: Sql, event: TrackerEventOf<Type>, position: string): Promise<void>;
}

export type Projection<Type extends EventType> = RowProjection<Type> | SequentialProjection<Type>;

export function rowProjection<Type extends EventType>(
  project: (event: TrackerEventOf<Type>, position: string) => ProjectionWrites,
): RowProjection<Type> {
  return { mode: 'rows', project };
}
