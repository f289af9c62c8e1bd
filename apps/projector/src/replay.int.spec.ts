import type { BatchToProject } from './project-batch';
import { PROJECTION_TABLES, inTransaction } from '@tracker/read-model';
import { DEMO_SIZES, k2Pipeline } from '@tracker/simulation';
import { createTestDatabase, type TestDatabase } from '@tracker/testing';
import { projectBatch } from './project-batch';
import { replayJournal } from './replay';

describe('replayJournal (real Postgres)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('replay');
  });
  afterAll(async () => {
    await database.drop();
  });

  /** Every projection table, rows sorted, as JSON text: equal text means equal state. */
  async function snapshot(): Promise<Record<string, string>> {
    const state: Record<string, string> = {};
    for (const table of PROJECTION_TABLES) {
      const { rows } = await database.pool.query(
        `SELECT to_jsonb(t) - 'id' AS row FROM ${table} t`,
      );
      state[table] = JSON.stringify(rows.map((row) => JSON.stringify(row.row)).sort());
    }
    return state;
  }

  it('rebuilds exactly the state the live projection built, whatever the batch boundaries', async () => {
    const events = [...k2Pipeline({ ...DEMO_SIZES.small, steps: 12, runTag: 'replay', seed: 7 })];
    // Live: uneven batches over two partitions, including a late member after the seal.
    let offset = 0;
    for (let start = 0; start < events.length;) {
      const size = 1 + ((start * 7919) % 173);
      const chunk = events.slice(start, start + size);
      const batch: BatchToProject = {
        topic: 'tracker.events',
        partition: 0,
        highWatermark: String(offset + chunk.length),
        messages: chunk.map((event) => ({
          offset: String(offset++),
          key: event.subject,
          value: Buffer.from(JSON.stringify(event)),
          timestamp: String(Date.now()),
        })),
      };
      await inTransaction(database.pool, (client) =>
        projectBatch(client, 'replay-test', batch, { copy: true }),
      );
      start += size;
    }
    const live = await snapshot();
    expect(JSON.parse(live.rewards).length).toBeGreaterThan(100);
    expect(JSON.parse(live.dataset_versions).length).toBe(2);

    const result = await replayJournal(database.pool, { copy: true });
    expect(result.events).toBe(events.length);
    expect(await snapshot()).toEqual(live);
  });
});
