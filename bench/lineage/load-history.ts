import type { Pool } from 'pg';
import { inTransaction } from '@tracker/read-model';
import { projectBatch } from '../../apps/projector/src/project-batch';

const BATCH = 5_000;

/**
 * Loads events through the projector's own batch function (COPY path), one transaction per
 * 5,000 events, as one partition of topic `bench.<group>`; progress on stderr every 10 s.
 * Returns how many events it loaded.
 */
export async function loadThroughProjector(
  pool: Pool,
  events: Iterable<object>,
  group: string,
  total: number,
): Promise<number> {
  let batch: Buffer[] = [];
  let offset = 0;
  let lastReport = Date.now();
  const flush = async () => {
    const values = batch;
    const first = offset;
    batch = [];
    offset += values.length;
    await inTransaction(pool, (client) =>
      projectBatch(
        client,
        group,
        {
          topic: `bench.${group}`,
          partition: 0,
          highWatermark: String(offset),
          messages: values.map((value, index) => ({
            offset: String(first + index),
            key: null,
            value,
            timestamp: String(Date.now()),
          })),
        },
        { copy: true },
      ),
    );
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      process.stderr.write(`  loaded ${offset} of ${total} events\n`);
    }
  };
  for (const event of events) {
    batch.push(Buffer.from(JSON.stringify(event)));
    if (batch.length === BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return offset;
}
