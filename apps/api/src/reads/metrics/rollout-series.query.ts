import {
  FINISH_REASON_COLUMNS,
  RESPONSE_TOKEN_BUCKETS,
  ROLLOUT_ROLLUP_SUMS,
  SERIES_SPANS,
} from '@tracker/read-model';
import type { Pool } from 'pg';
import { histogramQuantile } from './histogram-quantile';
import type { RolloutPoint, RolloutSeries } from './rollout-series.model';
import type { SeriesRequest } from './series-arguments';
import { seriesOfRuns, type BucketRow } from './series-of-runs';
import { querySeries } from './series-statement';
import { stepBucketPieces } from './step-buckets.sql';

interface RolloutRow extends BucketRow {
  /** The merged sums (ROLLOUT_ROLLUP_SUMS), as numeric text. */
  [sum: string]: unknown;
  response_tokens_mean: number;
  response_tokens_max: number;
  histogram: string[];
  mean_prompt_tokens: number | null;
  mean_turns: number | null;
  mean_tool_calls: number | null;
}

const histogramSums = Array.from(
  { length: RESPONSE_TOKEN_BUCKETS },
  (_, bucket) => `sum(response_tokens_histogram[${bucket + 1}])`,
).join(', ');

/** A mean over the rollouts that reported a field, in numeric; null when none did. */
const meanOf = (sum: string, count: string) => `(p.${sum} / NULLIF(p.${count}, 0))::float8`;

/**
 * Rollout series of runs, one statement: the rollout rollups tiling each bucket (see
 * step-buckets.sql) merged exactly (counts and sums added, max of maxes, histograms added
 * bucket by bucket); means in numeric, cast at the end; p95 from the merged histogram.
 */
export async function rolloutSeries(pool: Pool, request: SeriesRequest): Promise<RolloutSeries[]> {
  const pieces = stepBucketPieces('rollout_rollups', [
    ...ROLLOUT_ROLLUP_SUMS,
    'response_tokens_max',
    'response_tokens_histogram',
  ]);
  const rows = await querySeries<RolloutRow>(
    pool,
    `WITH ${pieces}
     SELECT b.lo, b.hi, b.width, p.ord, p.bucket,
            ${ROLLOUT_ROLLUP_SUMS.map((column) => `p.${column}::text`).join(', ')},
            (p.response_tokens_sum / p.rollouts)::float8 AS response_tokens_mean,
            p.response_tokens_max, p.histogram::text[],
            ${meanOf('prompt_tokens_sum', 'prompt_tokens_count')} AS mean_prompt_tokens,
            ${meanOf('turns_sum', 'turns_count')} AS mean_turns,
            ${meanOf('tool_calls_sum', 'tool_calls_count')} AS mean_tool_calls
     FROM bounds b LEFT JOIN (
       SELECT ord, bucket, ${ROLLOUT_ROLLUP_SUMS.map((column) => `sum(${column}) AS ${column}`).join(', ')},
              max(response_tokens_max) AS response_tokens_max, ARRAY[${histogramSums}] AS histogram
       FROM pieces GROUP BY ord, bucket
     ) p ON true
     ORDER BY p.ord, p.bucket`,
    [request.runs, request.fromStep, request.toStep, request.maxPoints, SERIES_SPANS],
  );
  return seriesOfRuns(request.runs, rows, (row, range): RolloutPoint => {
    const count = (column: string) => Number(row[column]);
    const rollouts = count('rollouts');
    const finished = (reason: keyof typeof FINISH_REASON_COLUMNS) =>
      count(FINISH_REASON_COLUMNS[reason]);
    return {
      ...range,
      rollouts,
      responseTokens: {
        mean: row.response_tokens_mean,
        max: row.response_tokens_max,
        p95: histogramQuantile(row.histogram.map(Number), 0.95, row.response_tokens_max)!,
      },
      meanPromptTokens: row.mean_prompt_tokens,
      truncationRate: (finished('length') + finished('budget')) / rollouts,
      repeatRate: finished('repeat') / rollouts,
      abortedRate: finished('aborted') / rollouts,
      finishReasons: {
        stop: finished('stop'),
        length: finished('length'),
        repeat: finished('repeat'),
        budget: finished('budget'),
        toolError: finished('tool_error'),
        partial: finished('partial'),
        aborted: finished('aborted'),
        none: finished('none'),
      },
      meanTurns: row.mean_turns,
      meanToolCalls: row.mean_tool_calls,
      partialShare: count('continued') / rollouts,
    };
  });
}
