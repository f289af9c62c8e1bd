/**
 * bench/metrics: one RL run of 100,000 steps with 100 rewards (over four domain/judge series)
 * and 100 rollouts per step, 10 million of each, loaded as rollup rows, not through the
 * projector (20 million events would take about half an hour at the rates bench/ingest
 * measures): reward_rollups rows by COPY, reward_block_rollups from them by its migration's
 * backfill, rollout_rollups rows (every span) by COPY. Then times rewardSeries and rolloutSeries over HTTP + GraphQL:
 * p50/p95 of each. Prints figures; asserts nothing.
 *
 *   npm run bench:metrics -- --steps 100000 --per-step 100 --runs 30
 *   npm run bench:metrics -- --keep                 # keep the loaded database (prints its name)
 *   npm run bench:metrics -- --reuse tracker_bench_met_1a2b3c4d   # time again, no load
 */
import { loadConfig } from '@tracker/config';
import { copyIn } from '@tracker/read-model';
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { RewardBlockRollups1764803600000 } from '../../migrations/1764803600000-reward-block-rollups';
import { startTracker } from '../../apps/cli/src/tracker-app';
import { timeQuestion, type TimedQuestion } from '../timing';
import {
  REWARD_ROLLUP_COLUMNS,
  ROLLOUT_ROLLUP_COLUMNS,
  rewardRollupRows,
  rolloutRollupRows,
} from './rollup-rows';
import { numberArgument } from '../arguments';
import { benchDatabase } from '../bench-database';

const STEPS = numberArgument('steps', 100_000);
const PER_STEP = numberArgument('per-step', 100);
const RUNS = numberArgument('runs', 30);
const RUN_ID = 'bench-metrics-run';

/** COPY in chunks, so that no single COPY text gets huge. */
async function copyRows(pool: Pool, table: string, columns: string[], rows: Iterable<string[]>) {
  let chunk: string[][] = [];
  const flush = async () => {
    const client = await pool.connect();
    try {
      await copyIn(client, table, columns, chunk);
    } finally {
      client.release();
    }
    chunk = [];
  };
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === 50_000) await flush();
  }
  if (chunk.length > 0) await flush();
}

async function seconds<T>(work: () => Promise<T>): Promise<[T, string]> {
  const started = Date.now();
  const result = await work();
  return [result, ((Date.now() - started) / 1000).toFixed(1)];
}

async function main(): Promise<void> {
  const database = await benchDatabase('met');
  const { pool } = database;
  const reuse = database.reused;
  let tracker: Awaited<ReturnType<typeof startTracker>> | undefined;
  const lines: string[] = [];
  try {
    if (!reuse) {
      const [, rewardsTook] = await seconds(() =>
        copyRows(
          pool,
          'reward_rollups',
          REWARD_ROLLUP_COLUMNS,
          rewardRollupRows(RUN_ID, STEPS, PER_STEP),
        ),
      );
      // The block rollups as the migration backfills them (the same figures as live).
      const [, blocksTook] = await seconds(async () => {
        await pool.query('DROP TABLE reward_block_rollups');
        const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
        await new RewardBlockRollups1764803600000().up(runner);
      });
      const [, rolloutsTook] = await seconds(() =>
        copyRows(
          pool,
          'rollout_rollups',
          ROLLOUT_ROLLUP_COLUMNS,
          rolloutRollupRows(RUN_ID, STEPS, PER_STEP),
        ),
      );
      await pool.query('VACUUM ANALYZE reward_rollups, reward_block_rollups, rollout_rollups');
      lines.push(
        `bench/metrics: ${STEPS} steps x ${PER_STEP} rewards and ${PER_STEP} rollouts per step; reward_rollups by COPY ${rewardsTook} s, reward_block_rollups backfill ${blocksTook} s, rollout_rollups by COPY ${rolloutsTook} s`,
      );
    } else {
      lines.push(`bench/metrics: reusing ${database.name}`);
    }
    const sizes = await pool.query<{ table: string; rows: string; size: string }>(
      `SELECT relname AS table, n_live_tup::text AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size
       FROM pg_stat_user_tables
       WHERE relname IN ('reward_rollups', 'reward_block_rollups', 'rollout_rollups') ORDER BY relname`,
    );
    lines.push(
      `  ${sizes.rows.map((row) => `${row.table} ${row.rows} rows (${row.size})`).join(', ')}`,
    );

    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' });
    tracker = await startTracker(config, { api: true, projector: false });
    const endpoint = tracker.url!;
    const rewardPoint = 'fromStep toStep count mean std min max passRate hackFlaggedRate';
    const rolloutPoint =
      'fromStep rollouts responseTokens { mean max p95 } truncationRate repeatRate abortedRate meanTurns meanToolCalls partialShare finishReasons { stop length aborted }';
    const rewardQuery = `query($rlRunId: ID, $domain: String, $fromStep: Int, $toStep: Int, $maxPoints: Int) {
      rewardSeries(rlRunId: $rlRunId, domain: $domain, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
        bucketWidth points { ${rewardPoint} } } }`;
    const runsRewardQuery = `query($runs: [ID!]) {
      rewardSeries(runs: $runs) { bucketWidth points { ${rewardPoint} } } }`;
    const rolloutQuery = `query($rlRunId: ID, $fromStep: Int, $toStep: Int, $maxPoints: Int) {
      rolloutSeries(rlRunId: $rlRunId, fromStep: $fromStep, toStep: $toStep, maxPoints: $maxPoints) {
        bucketWidth points { ${rolloutPoint} } } }`;
    const window = { fromStep: Math.floor(STEPS / 2), toStep: Math.floor(STEPS / 2) + 199 };
    const questions: TimedQuestion[] = [
      {
        label: 'rewardSeries, whole run, 500 points',
        target: 50,
        query: rewardQuery,
        variables: { rlRunId: RUN_ID },
      },
      {
        label: 'rewardSeries, 200-step window',
        target: 50,
        query: rewardQuery,
        variables: { rlRunId: RUN_ID, ...window },
      },
      {
        label: 'rewardSeries, whole run from step 37 (unaligned)',
        target: null,
        query: rewardQuery,
        variables: { rlRunId: RUN_ID, fromStep: 37 },
      },
      {
        label: 'rewardSeries, whole run, one domain',
        target: null,
        query: rewardQuery,
        variables: { rlRunId: RUN_ID, domain: 'coding' },
      },
      {
        label: 'rewardSeries, whole run, 5,000 points',
        target: null,
        query: rewardQuery,
        variables: { rlRunId: RUN_ID, maxPoints: 5000 },
      },
      {
        // The run and 19 without rewards: the statement's cost for 20 runs would trigger JIT.
        label: 'rewardSeries, 20 runs (1 with data), 500 points',
        target: null,
        query: runsRewardQuery,
        variables: { runs: [RUN_ID, ...Array.from({ length: 19 }, (_, index) => `idle-${index}`)] },
      },
      {
        label: 'rolloutSeries, whole run, 500 points',
        target: 50,
        query: rolloutQuery,
        variables: { rlRunId: RUN_ID },
      },
      {
        label: 'rolloutSeries, 200-step window',
        target: 50,
        query: rolloutQuery,
        variables: { rlRunId: RUN_ID, ...window },
      },
    ];
    lines.push(`  ${RUNS} timed runs each after 3 warm-ups, over HTTP + GraphQL:`);
    for (const question of questions) {
      const { data, figures } = await timeQuestion(endpoint, question, RUNS);
      const points = (Object.values(data)[0] as Array<{ points: unknown[] }>)[0].points.length;
      lines.push(`  ${question.label.padEnd(50)} ${String(points).padStart(5)} points  ${figures}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await tracker?.close();
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
