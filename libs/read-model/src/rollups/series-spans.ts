/**
 * Block sizes, in steps, of the series rollups (`reward_block_rollups`, `rollout_rollups`).
 * Span 1 is one step; a block of span s starts at a multiple of s. Each span is 8 times the
 * one before, so any step range is tiled by whole blocks with fewer than 8 of each span at
 * each end: a series of 500 points over 100,000 steps reads about 5,000 rows, not 100,000.
 * Every span costs rollup writes in each batch; blocks of 512 steps keep a whole-run series
 * of a run of a million steps at a few thousand rows.
 */
export const SERIES_SPANS: readonly number[] = [1, 8, 64, 512];

/** The spans as a Postgres array literal, for statements that expand a step into its blocks. */
export const SERIES_SPANS_SQL = `'{${SERIES_SPANS.join(',')}}'::int[]`;
