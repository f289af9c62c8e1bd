import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import type { ConsumedBatch, EventLog, EventLogConsumer } from '@tracker/log';
import { DATABASE, EVENT_LOG, TRACKER_CONFIG } from '@tracker/platform';
import { inTransaction, type Database } from '@tracker/read-model';
import { GroupCommit } from './group-commit';
import { decodeBatch, projectBatches } from './project-batch';

const MAX_PENDING_MESSAGES = 20_000;
/** Wait before restarting a consumer after a failed batch, doubled per failure in a row. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 10_000;

/** Consumes the log and applies each batch in one transaction with its offsets. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  private consumer: EventLogConsumer | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  /** Failed batches in a row (the restart backoff's exponent). */
  private failures = 0;
  // Commit lanes: each a chain of transactions on its own connection; a partition always goes
  // to the same lane (its order is kept). Within a lane, concurrently consumed partitions share
  // transactions and fetching goes on while a transaction commits (see GroupCommit). Across
  // lanes the journal keeps commit order by position (see journal.sql.ts).
  private readonly lanes: GroupCommit<ConsumedBatch>[];

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_LOG) private readonly log: EventLog,
  ) {
    // PGlite has a single backend: more than one lane would only queue behind it.
    const laneCount = database.embedded ? 1 : config.projectorLanes;
    // Messages waiting per lane while a transaction commits: bounds the projector's memory.
    const pendingPerLane = Math.ceil(MAX_PENDING_MESSAGES / laneCount);
    this.lanes = Array.from(
      { length: laneCount },
      () =>
        new GroupCommit<ConsumedBatch>(
          (batches) => this.apply(batches),
          (batch) => batch.messages.length,
          pendingPerLane,
        ),
    );
  }

  private laneOf(batch: ConsumedBatch): GroupCommit<ConsumedBatch> {
    return this.lanes[batch.partition % this.lanes.length];
  }

  private async lanesIdle(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.idle()));
  }

  onApplicationBootstrap(): void {
    // Started in the background: a log that is down at boot is retried, not fatal.
    this.starting = this.startWithRetry();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.starting;
    // Batches already handed over are committed (and acknowledged to the log) before the
    // consumer leaves and the database closes.
    await this.consumer?.stop(() => this.lanesIdle());
    await this.lanesIdle();
  }

  private async startWithRetry(): Promise<void> {
    for (let delay = 500; !this.stopped; delay = Math.min(delay * 2, 30_000)) {
      const consumer = this.log.createConsumer({
        onRetry: (error) => this.logger.warn(`batch failed, retrying: ${describe(error)}`),
        onStopped: (error) => this.restart(consumer, error),
      });
      try {
        for (const lane of this.lanes) lane.reset();
        this.consumer = consumer;
        await consumer.start(async (batch) => {
          const lane = this.laneOf(batch);
          lane.submit(decodeBatch(batch)).then(
            () => {
              this.failures = 0;
              return batch.commit();
            },
            (error: unknown) => this.restart(consumer, error),
          );
          await lane.room();
        });
        this.logger.log(`consuming ${this.log.description} as group ${this.config.kafkaGroupId}`);
        return;
      } catch (error) {
        this.consumer = undefined;
        this.logger.warn(`cannot start consuming (${describe(error)}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Lanes can deadlock on rare shared rows (the same event id in two partitions): retry those. */
  private async retryConflicts<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isConflict(error) || attempt >= 5) throw error;
        this.logger.warn(`transaction conflict (${describe(error)}), retrying`);
      }
    }
  }

  /**
   * A consumer that gave up, or whose batch failed to commit, is replaced by a new one that
   * starts from the durable offsets: the projector never silently stalls or skips.
   */
  private restart(consumer: EventLogConsumer, error: unknown): void {
    if (this.stopped || this.consumer !== consumer) return; // already being replaced
    this.consumer = undefined;
    // Backoff over failures in a row (Postgres down for a while), reset by a committed batch.
    const delay = Math.min(RESTART_FIRST_DELAY_MS * 2 ** this.failures, RESTART_MAX_DELAY_MS);
    this.failures++;
    this.logger.error(
      `projection stopped: ${describe(error)}; restarting the consumer from the stored offsets in ${delay} ms`,
    );
    this.starting = consumer
      .stop()
      .catch(() => undefined)
      .then(() => new Promise((resolve) => setTimeout(resolve, delay)))
      .then(() => (this.stopped ? undefined : this.startWithRetry()));
  }

  private async apply(batches: ConsumedBatch[]): Promise<void> {
    const started = Date.now();
    const outcome = await this.retryConflicts(() =>
      inTransaction(this.database.pool, (client) =>
        projectBatches(client, this.config.kafkaGroupId, batches, {
          copy: !this.database.embedded,
          allowedProjects: this.config.projectorAllowedProjects,
        }),
      ),
    );
    this.logger.debug(
      `${batches.length} batch(es), ${outcome.projected} projected, ${outcome.skipped} skipped, ${outcome.duplicates} duplicate(s) in ${Date.now() - started} ms`,
    );
    if (outcome.deadLettered > 0) {
      this.logger.warn(
        `${outcome.deadLettered} message(s) went to dead letters (query deadLetters for reasons)`,
      );
    }
  }
}

/** Deadlock (40P01) or serialization failure (40001): the transaction is simply run again. */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '40P01' || code === '40001';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
