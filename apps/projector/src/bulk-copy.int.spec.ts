import { EVENT_TYPES } from '@tracker/events';
import { PROJECTION_TABLES, TABLES, inTransaction } from '@tracker/read-model';
import {
  anyEventOf,
  createTestDatabase,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  toolRegisteredEvent,
  type TestDatabase,
} from '@tracker/testing';
import type { PoolClient } from 'pg';
import { projectBatch, type BatchToProject } from './project-batch';

// Bulk batches (enough rows per table for COPY) projected once through COPY and once through
// INSERT: both paths must build exactly the same journal and read model.

const AWKWARD = ['quote"d', 'back\\slash', 'comma,separated', '{braced}', 'NULL', 'tab\there'];

function bulkEvents(): object[] {
  const events: object[] = [];
  for (let index = 0; index < 80; index++) {
    for (const type of EVENT_TYPES) events.push(anyEventOf(type));
    events.push(
      rewardAssignedEvent({
        value: index % 2,
        domain: index % 3 === 0 ? 'coding' : 'math',
        rubricIds: AWKWARD.slice(index % AWKWARD.length),
        hackCheck: { flagged: index % 5 === 0, reason: 'line one\nline\ttwo \\ three' },
      }),
      rolloutCompletedEvent({ policyCheckpointId: undefined, finishReason: undefined }),
      toolRegisteredEvent({
        description: `tool ${index}: «unicode», tab\there, newline\nthere, backslash \\`,
        evolvedFrom: AWKWARD.slice(0, index % 4),
      }),
    );
  }
  // A tool id again with another ancestry: its row and its edges stay those of the first event.
  const firstTool = events.find(
    (event) => (event as { type: string }).type === 'tool.registered',
  ) as ReturnType<typeof toolRegisteredEvent>;
  events.push(toolRegisteredEvent({ toolId: firstTool.data.toolId, evolvedFrom: ['other-seed'] }));
  // The same reward id again in a later event: the first one wins, and rollups count it once.
  const first = events.find(
    (event) => (event as { type: string }).type === 'reward.assigned',
  ) as ReturnType<typeof rewardAssignedEvent>;
  events.push(rewardAssignedEvent({ ...first.data, value: 1 - first.data.value }));
  return events;
}

function batchOf(events: readonly object[]): BatchToProject {
  return {
    topic: 'tracker.events',
    partition: 0,
    highWatermark: String(events.length),
    messages: events.map((event, index) => ({
      offset: String(index),
      key: null,
      value: Buffer.from(JSON.stringify(event)),
      timestamp: '1764547200000',
    })),
  };
}

/** A client whose statements are recorded (COPY goes as a stream object with its text). */
function recording(client: PoolClient, statements: string[]): PoolClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (...args: unknown[]) => {
        const [query] = args as [string | { text: string }];
        statements.push(typeof query === 'string' ? query : query.text);
        return (target.query as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

async function snapshot(database: TestDatabase): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of [...PROJECTION_TABLES, 'event_journal']) {
    const { rows } = await database.pool.query<{ row: string }>(
      `SELECT (to_jsonb(t) - 'projected_at' - 'id')::text AS row FROM ${table} t ORDER BY 1`,
    );
    tables[table] = rows.map((row) => row.row);
  }
  return tables;
}

describe('bulk projection through COPY (real Postgres)', () => {
  let byCopy: TestDatabase;
  let byInsert: TestDatabase;
  beforeAll(async () => {
    [byCopy, byInsert] = await Promise.all([
      createTestDatabase('projector_copy'),
      createTestDatabase('projector_insert'),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byCopy.drop(), byInsert.drop()]);
  });

  it('builds the same journal and read model as INSERT, first-wins included', async () => {
    const batch = batchOf(bulkEvents());
    const statements: string[] = [];
    const copied = await inTransaction(byCopy.pool, (client) =>
      projectBatch(recording(client, statements), 'bulk', batch, { copy: true }),
    );
    const inserted = await inTransaction(byInsert.pool, (client) =>
      projectBatch(client, 'bulk', batch, { copy: false }),
    );
    expect(copied).toEqual(inserted);
    expect(copied).toMatchObject({ projected: batch.messages.length, deadLettered: 0 });

    // The bulk path really ran: the journal and every hot first-wins table went by COPY.
    const copiedTables = statements
      .filter((statement) => statement.startsWith('COPY '))
      .map((statement) => statement.split(' ')[1]);
    expect(copiedTables).toEqual(
      expect.arrayContaining(['event_journal', 'rollouts', 'rewards', 'tools', 'trajectories']),
    );

    const [left, right] = [await snapshot(byCopy), await snapshot(byInsert)];
    for (const table of Object.keys(left)) {
      expect({ table, rows: left[table] }).toEqual({ table, rows: right[table] });
    }
    const { rows } = await byCopy.pool.query(
      `SELECT rubric_ids, hack_reason FROM rewards WHERE rubric_ids @> $1`,
      [AWKWARD],
    );
    const leaked = await byCopy.pool.query(
      `SELECT count(*)::int AS n FROM lineage_edges WHERE dst = 'tool:other-seed'`,
    );
    expect(leaked.rows).toEqual([{ n: 0 }]);
    expect(rows).toContainEqual({
      rubric_ids: AWKWARD,
      hack_reason: 'line one\nline\ttwo \\ three',
    });
  });

  it('knows every text[] column of the tables it copies into', async () => {
    for (const spec of Object.values(TABLES)) {
      const { rows } = await byCopy.pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
         WHERE table_name = $1 AND data_type = 'ARRAY' ORDER BY column_name`,
        [spec.name],
      );
      const declared = [...((spec as { textArrays?: readonly string[] }).textArrays ?? [])].sort();
      expect({ table: spec.name, textArrays: declared }).toEqual({
        table: spec.name,
        textArrays: rows.map((row) => row.column_name),
      });
    }
  });
});
