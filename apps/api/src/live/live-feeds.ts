import { Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JournalWatch } from './journal-watch';

/** What every feed row carries: the journal position of the event that made it. */
export interface FeedRow {
  readonly position: string;
}

/**
 * A kind of row subscribers follow, read by journal position: the projected rows themselves
 * (a reward row exists once its event is committed, and a repeated reward id made no row), so a
 * subscriber never sees what a query cannot.
 */
export interface FeedSpec {
  readonly name: string;
  /** Rows with position in ($1, $2], in position order, at most $3; `$4` is a run id or null. */
  readonly rangeSql: string;
}

/** Rows one read of a feed hands out at most, all at once. */
export const FEED_PAGE = 2_000;

/** Rows of a feed after a position; see {@link FeedSpec.rangeSql}. */
export const feedRangeSql = (select: string, runFilter: string) => `
  ${select} AND position > $1::bigint AND position <= $2::bigint
    AND ($4::text IS NULL OR ${runFilter} = $4::text)
  ORDER BY position LIMIT $3`;

export const FEEDS = {
  rewards: {
    name: 'rewards',
    rangeSql: feedRangeSql('SELECT * FROM rewards WHERE true', 'rl_run_id'),
  },
  checkpoints: {
    name: 'checkpoints',
    rangeSql: feedRangeSql('SELECT * FROM checkpoints WHERE true', 'rl_run_id'),
  },
  criticVersions: {
    name: 'critic versions',
    rangeSql: feedRangeSql('SELECT * FROM critic_versions WHERE true', 'rl_run_id'),
  },
  // A run's status is set by its lifecycle events; each one is a change, read from the journal.
  runLifecycle: {
    name: 'run lifecycle',
    rangeSql: feedRangeSql(
      `SELECT position::text AS position, type, envelope -> 'data' ->> 'rlRunId' AS rl_run_id,
              envelope -> 'data' ->> 'status' AS status, (envelope ->> 'time')::timestamptz AS time
       FROM event_journal WHERE type IN ('rl.started', 'rl.finished')`,
      `envelope -> 'data' ->> 'rlRunId'`,
    ),
  },
} as const satisfies Record<string, FeedSpec>;

export type FeedName = keyof typeof FEEDS;

interface Feed {
  readonly spec: FeedSpec;
  /** Rows with positions up to here were handed to the listeners of the moment. */
  through: bigint;
  /** Each gets the rows of one read together (see BoundedQueue.pushAll). */
  readonly listeners: Set<(rows: readonly FeedRow[]) => void>;
}

/**
 * One reader per feed for the whole process, however many subscribers: when the journal
 * advances, each feed that has listeners reads its new rows once (one indexed range query)
 * and hands each row to every listener, in position order. Listeners filter for themselves.
 */
export class LiveFeeds {
  private readonly logger = new Logger('LiveFeeds');
  private readonly feeds = new Map<FeedName, Feed>();
  private running: Promise<void> = Promise.resolve();
  private pending = false;
  private readonly unwatch: () => void;

  constructor(
    private readonly pool: Pool,
    private readonly watch: JournalWatch,
  ) {
    for (const name of Object.keys(FEEDS) as FeedName[])
      this.feeds.set(name, { spec: FEEDS[name], through: watch.position, listeners: new Set() });
    this.unwatch = watch.onAdvance(() => this.schedule());
  }

  /** Listeners attached to all feeds. */
  get listeners(): number {
    let count = 0;
    for (const feed of this.feeds.values()) count += feed.listeners.size;
    return count;
  }

  close(): Promise<void> {
    this.unwatch();
    return this.running;
  }

  /**
   * Starts handing `listener` every row of the feed after the returned position, in order, a
   * read's rows at a time (rows up to it are readable with {@link read}); `detach` stops it.
   */
  attach<Row extends FeedRow>(
    name: FeedName,
    listener: (rows: readonly Row[]) => void,
  ): { from: bigint; detach: () => void } {
    const feed = this.feeds.get(name)!;
    const wrapped = listener as (rows: readonly FeedRow[]) => void;
    feed.listeners.add(wrapped);
    return { from: feed.through, detach: () => feed.listeners.delete(wrapped) };
  }

  /** A page of the feed's rows with position in (after, through], of one run or all. */
  async read<Row extends FeedRow>(
    name: FeedName,
    after: bigint,
    through: bigint,
    rlRunId: string | null,
    limit = FEED_PAGE,
  ): Promise<Row[]> {
    const { rows } = await this.pool.query<Row>(FEEDS[name].rangeSql, [
      String(after),
      String(through),
      limit,
      rlRunId,
    ]);
    return rows;
  }

  // Advances run one at a time; signals arriving meanwhile make one more run.
  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.running = this.running.then(async () => {
      this.pending = false;
      await this.advance(this.watch.position);
    });
  }

  private async advance(target: bigint): Promise<void> {
    for (const [name, feed] of this.feeds) {
      try {
        while (feed.through < target) {
          if (feed.listeners.size === 0) {
            feed.through = target; // nobody to hand rows to: skip them
            break;
          }
          const rows = await this.read(name, feed.through, target, null);
          // Handing out and moving `through` happen together (no await between): a listener
          // attaching meanwhile either gets these rows or starts after them.
          if (rows.length > 0) for (const listener of feed.listeners) listener(rows);
          feed.through =
            rows.length === FEED_PAGE ? BigInt(rows[rows.length - 1].position) : target;
        }
      } catch (error) {
        // Tried again at the next signal (polling sends one at least every few seconds).
        this.logger.warn(`reading the ${feed.spec.name} feed: ${String(error)}`);
      }
    }
  }
}
