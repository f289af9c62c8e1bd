import type { EventData, EventType } from './catalog';

/** A validated event, its payload upcast to the current schema version of its type. */
export interface TrackerEventOf<Type extends EventType> {
  readonly id: string;
  readonly type: Type;
  readonly source: string;
  readonly subject: string;
  /** Producer time, RFC 3339 as sent. */
  readonly time: string;
  /** The schema version the producer sent (the payload in `data` is current). */
  readonly schemaVersion: number;
  readonly data: EventData<Type>;
  /** The envelope exactly as received (before upcasting), for the journal. */
  readonly envelope: Record<string, unknown>;
}

export type TrackerEvent = { [Type in EventType]: TrackerEventOf<Type> }[EventType];
