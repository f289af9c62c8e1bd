import { ApiError } from '../graphql/api-error';
import { BoundedQueue, QueueOverflowError } from './bounded-queue';
import type { FeedName, FeedRow, LiveFeeds } from './live-feeds';
import { promptReturn, type Stoppable } from './prompt-return';

export interface LiveStreamRequest<Row extends FeedRow> {
  readonly feed: FeedName;
  /** Only this run's rows (read by the run where the feed allows it), or every run's. */
  readonly rlRunId: string | null;
  /** Which rows this subscriber wants, beyond the run. */
  readonly accept: (row: Row) => boolean;
  /** Resume: every matching row after this journal position first, then the live tail. */
  readonly afterPosition: bigint | null;
  /** Rows that may wait for a slow subscriber (besides one feed read) before it is cut off. */
  readonly bufferLimit: number;
}

/**
 * A subscriber's rows, in journal order with no gap and no duplicate: it starts listening
 * first, then (resuming) reads what it missed up to where listening began, then hands out
 * what was heard meanwhile and after, skipping anything at or before what it already gave.
 * A subscriber that lets more than `bufferLimit` live rows pile up is ended with an error
 * naming the position to resume after; it never holds up the feed or other subscribers.
 */
export function liveStream<Row extends FeedRow>(
  feeds: LiveFeeds,
  request: LiveStreamRequest<Row>,
): Stoppable<Row> {
  const progress = { delivered: request.afterPosition };
  let from = 0n;
  const queue = new BoundedQueue<Row>(
    request.bufferLimit,
    () =>
      new QueueOverflowError(
        `subscriber too slow: more than ${request.bufferLimit} events were still waiting to be sent when more came; ` +
          `resubscribe with afterPosition: "${String(progress.delivered ?? from)}" to continue without a gap`,
      ),
  );
  const attached = feeds.attach<Row>(request.feed, (rows) => {
    const wanted = rows.filter(
      (row) => (request.rlRunId === null || rowRun(row) === request.rlRunId) && request.accept(row),
    );
    if (wanted.length > 0) queue.pushAll(wanted);
  });
  from = attached.from;
  const stop = () => {
    attached.detach();
    queue.close();
  };
  return promptReturn(replayThenTail(feeds, request, queue, from, progress, stop), stop);
}

async function* replayThenTail<Row extends FeedRow>(
  feeds: LiveFeeds,
  request: LiveStreamRequest<Row>,
  queue: BoundedQueue<Row>,
  from: bigint,
  progress: { delivered: bigint | null },
  stop: () => void,
): AsyncGenerator<Row> {
  try {
    if (progress.delivered !== null && progress.delivered < from) {
      for (let after = progress.delivered; ;) {
        const page = await feeds.read<Row>(request.feed, after, from, request.rlRunId);
        if (page.length === 0) break;
        for (const row of page) {
          after = BigInt(row.position);
          if (!request.accept(row)) continue;
          progress.delivered = after;
          yield row;
        }
      }
    }
    const skipThrough =
      progress.delivered !== null && progress.delivered > from ? progress.delivered : from;
    for await (const row of queue) {
      const position = BigInt(row.position);
      if (position <= skipThrough) continue;
      progress.delivered = position;
      yield row;
    }
  } catch (error) {
    if (error instanceof QueueOverflowError)
      throw new ApiError('SUBSCRIBER_TOO_SLOW', error.message);
    throw error;
  } finally {
    stop();
  }
}

// Every feed row names its run as rl_run_id (lifecycle rows too, read out of the event).
const rowRun = (row: FeedRow) => (row as FeedRow & { rl_run_id?: string }).rl_run_id;

/** Parses an afterPosition argument (a journal position, as positions are given out). */
export function parseAfterPosition(text: string | null | undefined): bigint | null {
  if (text === null || text === undefined) return null;
  if (!/^\d{1,19}$/.test(text))
    throw new ApiError(
      'BAD_USER_INPUT',
      `afterPosition: ${JSON.stringify(text)} is not a journal position (digits, as positions are given)`,
    );
  return BigInt(text);
}
