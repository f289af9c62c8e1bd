import { Inject, Injectable } from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import { TRACKER_CONFIG } from '@tracker/platform';
import type { Caller } from './caller';

/** An ingest request over its key's rate; `retryAfterSeconds` is when it would fit. */
export class IngestRateLimited extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'IngestRateLimited';
  }
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per API key token buckets, counted in events (a request of 5,000 events costs 5,000):
 * INGEST_KEY_EVENTS_PER_SECOND refill, INGEST_KEY_BURST_EVENTS deep. Per process: behind a load
 * balancer each API process allows the rate. Open mode (no keys) is not limited.
 */
@Injectable()
export class IngestRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;

  constructor(@Inject(TRACKER_CONFIG) config: TrackerConfig) {
    this.rate = config.ingestKeyEventsPerSecond;
    this.burst = config.ingestKeyBurstEvents;
  }

  /** Takes `events` tokens from the caller's bucket, or throws IngestRateLimited. */
  take(caller: Caller, events: number, now = Date.now()): void {
    if (caller.keyId === null) return;
    const bucket = this.buckets.get(caller.keyId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(caller.keyId, bucket);
    const limits = `INGEST_KEY_EVENTS_PER_SECOND=${this.rate}, INGEST_KEY_BURST_EVENTS=${this.burst}`;
    if (events > this.burst) {
      throw new IngestRateLimited(
        `${events} events in one request exceed ${caller.label}'s burst (${limits}): split the batch`,
        Math.ceil(events / this.rate),
      );
    }
    if (bucket.tokens < events) {
      const retryAfterSeconds = Math.max(1, Math.ceil((events - bucket.tokens) / this.rate));
      throw new IngestRateLimited(
        `${caller.label} is over its ingest rate (${limits}): retry after ${retryAfterSeconds} s`,
        retryAfterSeconds,
      );
    }
    bucket.tokens -= events;
  }
}
