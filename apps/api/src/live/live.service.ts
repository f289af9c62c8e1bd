import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { TrackerConfig } from '@tracker/config';
import { DATABASE, TRACKER_CONFIG } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import { operationLimits } from '../graphql/limits/operation-limits';
import { JournalWatch } from './journal-watch';
import { LiveFeeds, type FeedRow } from './live-feeds';
import { liveStream, type LiveStreamRequest } from './live-stream';
import type { Stoppable } from './prompt-return';
import { SharedSubscriptions } from './shared-subscriptions';

/** This API process's live side: one journal watch, one reader per feed, shared executions. */
@Injectable()
export class LiveService implements OnModuleInit, OnModuleDestroy {
  readonly shared: SharedSubscriptions;
  private readonly watch: JournalWatch;
  private feeds: LiveFeeds | null = null;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {
    this.shared = new SharedSubscriptions(config.liveSubscriberBuffer, operationLimits(config));
    this.watch = new JournalWatch(database, { pollMs: config.livePollMs });
  }

  async onModuleInit(): Promise<void> {
    await this.watch.start();
    this.feeds = new LiveFeeds(this.database.pool, this.watch);
  }

  async onModuleDestroy(): Promise<void> {
    await this.watch.stop();
    await this.feeds?.close();
  }

  /** Live streams being served (each subscription, or execution shared by several). */
  get streams(): number {
    return this.feeds?.listeners ?? 0;
  }

  /** The last committed journal position this process has heard of. */
  get journalPosition(): bigint {
    return this.watch.position;
  }

  /** A subscriber's rows of a feed: resumed after a position if given, then live. */
  stream<Row extends FeedRow>(
    request: Omit<LiveStreamRequest<Row>, 'bufferLimit'>,
  ): Stoppable<Row> {
    return liveStream(this.feeds!, { ...request, bufferLimit: this.config.liveSubscriberBuffer });
  }
}
