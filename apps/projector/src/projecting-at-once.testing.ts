import type { Pool } from 'pg';
import { projectBatch, type BatchToProject } from './project-batch';

// For specs: log batches of events, and two projector transactions projecting at once.

const GROUP = 'test-projector';

/** Builds log batches with offsets that keep growing, per partition, as a topic would. */
export class BatchMaker {
  private nextOffset = 0;

  batchOf(events: ReadonlyArray<{ subject: string }>, partition = 0): BatchToProject {
    const first = this.nextOffset;
    this.nextOffset += events.length;
    return {
      topic: 'tracker.events',
      partition,
      highWatermark: String(this.nextOffset),
      messages: events.map((event, index) => ({
        offset: String(first + index),
        key: event.subject,
        value: Buffer.from(JSON.stringify(event)),
        timestamp: String(Date.now()),
      })),
    };
  }
}

/**
 * Projects `earlier` in one transaction and, before it commits, `later` in another (each blind
 * to the other's rows), checks that the later one waits for its journal turn, then commits
 * both. Other partitions than 0, so that the two do not wait on each other's offset rows.
 */
export async function projectAtOnce(
  pool: Pool,
  batches: BatchMaker,
  earlierEvents: ReadonlyArray<{ subject: string }>,
  laterEvents: ReadonlyArray<{ subject: string }>,
): Promise<void> {
  const earlier = await pool.connect();
  const later = await pool.connect();
  try {
    await earlier.query('BEGIN');
    await later.query('BEGIN');
    await projectBatch(earlier, GROUP, batches.batchOf(earlierEvents, 1), { copy: true });
    let laterDone = false;
    const laterProjected = projectBatch(later, GROUP, batches.batchOf(laterEvents, 2), {
      copy: true,
    }).then(() => (laterDone = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (laterDone) throw new Error('the later transaction did not wait for its journal turn');
    await earlier.query('COMMIT');
    await laterProjected;
    await later.query('COMMIT');
  } finally {
    earlier.release();
    later.release();
  }
}
