import { inTransaction, SERIES_SPANS } from '@tracker/read-model';
import {
  appliedSeriesData,
  bitLength,
  createTestDatabase,
  metricSeriesRun,
  rolloutCompletedEvent,
  type RewardData,
  type RolloutData,
  type SeriesWireEvent,
  type TestDatabase,
} from '@tracker/testing';
import type { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { RolloutRollups1764800000000 } from '../../../migrations/1764800000000-rollout-rollups';
import { RewardBlockRollups1764803600000 } from '../../../migrations/1764803600000-reward-block-rollups';
import { projectBatch, type BatchToProject } from './project-batch';
import { replayJournal } from './replay';

// The series rollups (rollout_rollups, reward_block_rollups) of a generated pair of runs,
// projected through the projector's batch path by COPY and by INSERT: each row must be exactly
// what the rollouts and rewards the projection kept add up to, worked out here from the events.

const TABLES = ['rollout_rollups', 'reward_block_rollups'] as const;

function batchOf(events: readonly object[], firstOffset: number): BatchToProject {
  return {
    topic: 'tracker.events',
    partition: 0,
    highWatermark: String(firstOffset + events.length),
    messages: events.map((event, index) => ({
      offset: String(firstOffset + index),
      key: null,
      value: Buffer.from(JSON.stringify(event)),
      timestamp: '1764547200000',
    })),
  };
}

/** Projects events in uneven batches (the first one large enough for COPY), in this order. */
async function projectInBatches(pool: Pool, events: readonly object[], copy: boolean) {
  const sizes = [300, 1, 17, 64, 5, 120, 2, 33];
  for (let start = 0, turn = 0; start < events.length; turn++) {
    const chunk = events.slice(start, start + sizes[turn % sizes.length]);
    await inTransaction(pool, (client) =>
      projectBatch(client, 'metric-rollups', batchOf(chunk, start), { copy }),
    );
    start += chunk.length;
  }
}

/** Both tables, rows as sorted JSON text: equal text, equal state. */
async function snapshot(pool: Pool): Promise<Record<string, string[]>> {
  const state: Record<string, string[]> = {};
  for (const table of TABLES) {
    const { rows } = await pool.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY 1`,
    );
    state[table] = rows.map((row) => row.row);
  }
  return state;
}

const blockOf = (step: number, span: number) => step - (step % span);

/** Groups items by a key (insertion order kept). */
function groupBy<Item>(items: readonly Item[], key: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const sumOf = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0);

/** rollout_rollups as it must be: every span's blocks, from the rollouts kept. */
function expectedRolloutRollups(rollouts: readonly RolloutData[]) {
  const rows: Record<string, unknown>[] = [];
  for (const span of SERIES_SPANS) {
    const blocks = groupBy(rollouts, (r) => `${r.rlRunId}\u0000${blockOf(r.step, span)}`);
    for (const [key, items] of blocks) {
      const [rlRunId, step] = key.split('\u0000');
      const reported = (field: 'promptTokens' | 'numTurns' | 'numToolCalls') =>
        items.map((r) => r[field]).filter((value): value is number => value !== undefined);
      const finished = (reason: RolloutData['finishReason']) =>
        items.filter((r) => r.finishReason === reason).length;
      const histogram = new Array<number>(32).fill(0);
      for (const r of items) histogram[bitLength(r.responseTokens)]++;
      rows.push({
        rl_run_id: rlRunId,
        span,
        step: Number(step),
        rollouts: items.length,
        response_tokens_sum: sumOf(items.map((r) => r.responseTokens)),
        response_tokens_max: Math.max(...items.map((r) => r.responseTokens)),
        response_tokens_histogram: histogram,
        prompt_tokens_sum: sumOf(reported('promptTokens')),
        prompt_tokens_count: reported('promptTokens').length,
        turns_sum: sumOf(reported('numTurns')),
        turns_count: reported('numTurns').length,
        tool_calls_sum: sumOf(reported('numToolCalls')),
        tool_calls_count: reported('numToolCalls').length,
        finish_stop: finished('stop'),
        finish_length: finished('length'),
        finish_repeat: finished('repeat'),
        finish_budget: finished('budget'),
        finish_tool_error: finished('tool_error'),
        finish_partial: finished('partial'),
        finish_aborted: finished('aborted'),
        finish_none: finished(undefined),
        continued: items.filter((r) => r.partialOf !== undefined).length,
      });
    }
  }
  return rows;
}

/** reward_block_rollups as it must be: per (domain, kind) and over all ('', ''). */
function expectedRewardBlocks(rewards: readonly RewardData[]) {
  const rows: Record<string, unknown>[] = [];
  for (const span of SERIES_SPANS) {
    for (const all of [false, true]) {
      const blocks = groupBy(rewards, (r) =>
        [r.rlRunId, blockOf(r.step, span), all ? '' : r.domain, all ? '' : r.kind].join('\u0000'),
      );
      for (const [key, items] of blocks) {
        const [rlRunId, step, domain, kind] = key.split('\u0000');
        const values = items.map((r) => r.value);
        rows.push({
          rl_run_id: rlRunId,
          span,
          step: Number(step),
          domain,
          kind,
          count: items.length,
          sum: sumOf(values),
          sum_squares: sumOf(values.map((value) => value * value)),
          min: Math.min(...values),
          max: Math.max(...values),
          verifiable_count: items.filter((r) => r.kind === 'verifiable').length,
          pass_count: items.filter((r) => r.kind === 'verifiable' && r.value === 1).length,
          hack_flagged_count: items.filter((r) => r.hackCheck?.flagged).length,
        });
      }
    }
  }
  return rows;
}

/** Stored rows as plain numbers (bigint and numeric come back as text), in key order. */
async function storedRows(pool: Pool, table: string, key: string) {
  const { rows } = await pool.query(`SELECT * FROM ${table} ORDER BY ${key}`);
  return rows.map((row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([column, value]) => [
        column,
        Array.isArray(value)
          ? value.map(Number)
          : typeof value === 'string' && /^-?\d/.test(value)
            ? Number(value)
            : value,
      ]),
    ),
  );
}

const byKey =
  (...columns: string[]) =>
  (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const column of columns) {
      const [x, y] = [a[column] as string | number, b[column] as string | number];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };

describe('series rollups through the projector (real Postgres)', () => {
  const run = metricSeriesRun(20261130);
  const kept = appliedSeriesData(run.events);
  let byCopy: TestDatabase;
  let byInsert: TestDatabase;

  beforeAll(async () => {
    [byCopy, byInsert] = await Promise.all([
      createTestDatabase('rollups_copy'),
      createTestDatabase('rollups_insert'),
    ]);
    await projectInBatches(byCopy.pool, run.events, true);
    await projectInBatches(byInsert.pool, run.events, false);
  });
  afterAll(async () => {
    await Promise.all([byCopy?.drop(), byInsert?.drop()]);
  });

  it('keeps per span and block exactly what the rollouts kept add up to', async () => {
    // The generated run has what the test is about: duplicates, partials, every reason.
    expect(kept.rollouts.length).toBeGreaterThan(100);
    expect(run.events.length - new Set(run.events.map((event) => event.id)).size).toBeGreaterThan(
      5,
    );
    expect(kept.rollouts.filter((r) => r.partialOf).length).toBeGreaterThan(3);
    expect(new Set(kept.rollouts.map((r) => r.finishReason)).size).toBe(8);
    // The first batch has enough rows of both kinds for COPY (COPY_MIN_ROWS in row-writer).
    for (const type of ['rollout.completed', 'reward.assigned']) {
      const firstBatch = run.events.slice(0, 300).filter((event) => event.type === type);
      expect(new Set(firstBatch.map((event) => event.id)).size).toBeGreaterThanOrEqual(64);
    }

    const stored = await storedRows(byCopy.pool, 'rollout_rollups', 'rl_run_id, span, step');
    const expected = expectedRolloutRollups(kept.rollouts).sort(byKey('rl_run_id', 'span', 'step'));
    expect(stored).toEqual(expected);
  });

  it('keeps per span, block, domain and kind (and over all) what the rewards kept add up to', async () => {
    const stored = await storedRows(
      byCopy.pool,
      'reward_block_rollups',
      'rl_run_id, span, step, domain, kind',
    );
    const expected = expectedRewardBlocks(kept.rewards).sort(
      byKey('rl_run_id', 'span', 'step', 'domain', 'kind'),
    );
    expect(stored.map(({ sum: _s, sum_squares: _q, ...exact }) => exact)).toEqual(
      expected.map(({ sum: _s, sum_squares: _q, ...exact }) => exact),
    );
    stored.forEach((row, index) => {
      expect(row.sum).toBeCloseTo(expected[index].sum as number, 6);
      expect(row.sum_squares).toBeCloseTo(expected[index].sum_squares as number, 4);
    });
  });

  it('builds the same rollups by COPY and by INSERT', async () => {
    expect(await snapshot(byCopy.pool)).toEqual(await snapshot(byInsert.pool));
  });

  it('replay rebuilds identical rollups from the journal', async () => {
    const live = await snapshot(byInsert.pool);
    await replayJournal(byInsert.pool, { copy: true });
    expect(await snapshot(byInsert.pool)).toEqual(live);
  });

  it('counts a rollout id once, whether it comes again in the same batch or a later one', async () => {
    const database = await createTestDatabase('rollups_dup');
    try {
      const first = rolloutCompletedEvent({ step: 9, responseTokens: 100, finishReason: 'stop' });
      const again = (step: number) =>
        rolloutCompletedEvent({
          ...first.data,
          step,
          responseTokens: 5_000,
          finishReason: 'length',
        });
      const events: SeriesWireEvent[] = [first, again(9), again(10)];
      await inTransaction(database.pool, (client) =>
        projectBatch(client, 'metric-rollups', batchOf(events.slice(0, 2), 0), { copy: false }),
      );
      await inTransaction(database.pool, (client) =>
        projectBatch(client, 'metric-rollups', batchOf(events.slice(2), 2), { copy: false }),
      );
      const { rows } = await database.pool.query(
        `SELECT span, step, rollouts::int, response_tokens_sum::int, finish_stop::int, finish_length::int
         FROM rollout_rollups ORDER BY span`,
      );
      expect(rows).toEqual(
        SERIES_SPANS.map((span) => ({
          span,
          step: blockOf(9, span),
          rollouts: 1,
          response_tokens_sum: 100,
          finish_stop: 1,
          finish_length: 0,
        })),
      );
    } finally {
      await database.drop();
    }
  });

  it('the migrations backfill the rows the projector keeps', async () => {
    const live = await snapshot(byCopy.pool);
    await byCopy.pool.query(`DROP TABLE rollout_rollups, reward_block_rollups`);
    const runner = { query: (sql: string) => byCopy.pool.query(sql) } as unknown as QueryRunner;
    await new RolloutRollups1764800000000().up(runner);
    await new RewardBlockRollups1764803600000().up(runner);
    expect(await snapshot(byCopy.pool)).toEqual(live);
  });
});
