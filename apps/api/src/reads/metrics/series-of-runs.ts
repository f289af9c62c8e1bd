import type { StepSeries } from './step-series.model';

/** What every series statement returns per row: the grid, and a bucket of a run (or nulls). */
export interface BucketRow {
  lo: string | null;
  hi: string | null;
  width: string | null;
  ord: string | null;
  bucket: string | null;
}

/**
 * Rows of a series statement (ordered by run, then bucket) as one series per run asked for,
 * in that order, each point with its bucket's step range.
 */
export function seriesOfRuns<Row extends BucketRow, Point>(
  runs: readonly string[],
  rows: readonly Row[],
  point: (row: Row, range: { fromStep: number; toStep: number }) => Point,
): Array<StepSeries & { points: Point[] }> {
  const grid = rows[0];
  const [lo, hi, width] = [grid?.lo, grid?.hi, grid?.width].map((value) =>
    value === null || value === undefined ? null : Number(value),
  );
  const series = runs.map((rlRunId) => ({
    rlRunId,
    fromStep: lo,
    toStep: hi,
    bucketWidth: width,
    points: [] as Point[],
  }));
  for (const row of rows) {
    if (row.ord === null || row.bucket === null) continue;
    const fromStep = lo! + Number(row.bucket) * width!;
    series[Number(row.ord) - 1].points.push(
      point(row, { fromStep, toStep: Math.min(fromStep + width! - 1, hi!) }),
    );
  }
  return series;
}
