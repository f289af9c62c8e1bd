import { Inject, Injectable } from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import { MAX_EVENT_BYTES, decodeEvent, type EventRejection } from '@tracker/events';
import type { EventLog, LogRecord } from '@tracker/log';
import { EVENT_LOG, TRACKER_CONFIG } from '@tracker/platform';

export interface RejectedEvent {
  /** Position of the event in the request, from 0. */
  readonly index: number;
  readonly id: string | null;
  readonly reason: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: RejectedEvent[];
}

/**
 * The one path every ingest door takes: validate each event, then append all valid ones to
 * the log in one call. An event counts as accepted only once the log has it durably.
 */
@Injectable()
export class IngestService {
  /** Most events one request may carry (INGEST_MAX_EVENTS): bulk for workers, bounded for us. */
  readonly maxEvents: number;

  constructor(
    @Inject(EVENT_LOG) private readonly log: EventLog,
    @Inject(TRACKER_CONFIG) config: TrackerConfig,
  ) {
    this.maxEvents = config.ingestMaxEvents;
  }

  /** `inputs` are parsed JSON values, or unparsed text (one NDJSON line) to decode here. */
  async record(inputs: readonly unknown[]): Promise<IngestResult> {
    const records: LogRecord[] = [];
    const rejected: RejectedEvent[] = [];
    inputs.forEach((input, index) => {
      const decoded = decodeEvent(input);
      if (!decoded.ok) {
        rejected.push(toRejected(index, decoded.rejection));
        return;
      }
      // Parsed bodies were not measured by the decoder: measure what goes into the log.
      const value = JSON.stringify(decoded.event.envelope);
      const bytes = Buffer.byteLength(value, 'utf8');
      if (bytes > MAX_EVENT_BYTES) {
        rejected.push({
          index,
          id: decoded.event.id,
          reason: `event is ${bytes} bytes, more than the ${MAX_EVENT_BYTES}-byte limit`,
        });
        return;
      }
      records.push({ key: decoded.event.subject, value });
    });
    // Throws LogUnavailableError if the log cannot take them: then nothing is accepted.
    await this.log.producer.append(records);
    return { accepted: records.length, rejected };
  }
}

function toRejected(index: number, rejection: EventRejection): RejectedEvent {
  return { index, id: rejection.eventId ?? null, reason: rejection.reason };
}
