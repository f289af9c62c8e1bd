import { Inject, Injectable } from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import {
  MAX_EVENT_BYTES,
  decodeEvent,
  type EventRejection,
  type TrackerEvent,
} from '@tracker/events';
import type { EventLog, LogRecord } from '@tracker/log';
import { DATABASE, EVENT_LOG, TRACKER_CONFIG } from '@tracker/platform';
import { claimedProjects, claimedVia, type Database } from '@tracker/read-model';
import { Caller } from '../access/caller';
import { IngestRateLimiter } from '../access/ingest-rate-limiter';

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
    @Inject(DATABASE) private readonly database: Database,
    private readonly rateLimiter: IngestRateLimiter,
    @Inject(TRACKER_CONFIG) config: TrackerConfig,
  ) {
    this.maxEvents = config.ingestMaxEvents;
  }

  /**
   * `inputs` are parsed JSON values, or unparsed text (one NDJSON line) to decode here. Throws
   * IngestRateLimited past the caller's rate (then nothing is accepted).
   */
  async record(inputs: readonly unknown[], caller: Caller = Caller.OPEN): Promise<IngestResult> {
    this.rateLimiter.take(caller, inputs.length);
    const valid: { index: number; event: TrackerEvent; value: string }[] = [];
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
      valid.push({ index, event: decoded.event, value });
    });
    const allowed = caller.restricted ? await this.withinProjects(valid, caller, rejected) : valid;
    const records: LogRecord[] = allowed.map(({ event, value }) => ({ key: event.subject, value }));
    // Throws LogUnavailableError if the log cannot take them: then nothing is accepted.
    await this.log.producer.append(records);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: records.length, rejected };
  }

  /**
   * A key limited to some projects writes only into those: runs it starts must name one, and
   * events of a run already started elsewhere must belong to one. Events of a run not started
   * yet are taken (any order is allowed); the run's started event decides its project, and
   * the projector refuses events of projects its producers may not write (if configured).
   */
  private async withinProjects<Valid extends { index: number; event: TrackerEvent }>(
    valid: Valid[],
    caller: Caller,
    rejected: RejectedEvent[],
  ): Promise<Valid[]> {
    const projects = await claimedProjects(
      this.database.pool,
      valid.map(({ event }) => event),
    );
    return valid.filter(({ index, event }, at) => {
      const project = projects[at];
      if (typeof project !== 'string' || caller.mayWriteProject(project)) return true;
      const via = claimedVia(event);
      rejected.push({
        index,
        id: event.id,
        reason: `writes into project ${JSON.stringify(project)}${via ? ` (of ${via})` : ''}, not one of ${caller.label}'s projects (${[...caller.projects!].join(', ')})`,
      });
      return false;
    });
  }
}

function toRejected(index: number, rejection: EventRejection): RejectedEvent {
  return { index, id: rejection.eventId ?? null, reason: rejection.reason };
}
