import { ApiError } from '../../graphql/api-error';

/** What a series request asks for, as given in GraphQL. */
export interface SeriesArguments {
  rlRunId?: string | null;
  runs?: readonly string[] | null;
  fromStep?: number | null;
  toStep?: number | null;
  maxPoints?: number | null;
}

/** A valid series request: distinct runs in the order given, bounds as given or null. */
export interface SeriesRequest {
  readonly runs: readonly string[];
  readonly fromStep: number | null;
  readonly toStep: number | null;
  readonly maxPoints: number;
}

export const MAX_POINTS = { default: 500, max: 5_000 } as const;
export const MAX_SERIES_RUNS = 20;

const badInput = (message: string) => new ApiError('BAD_USER_INPUT', message);

/** Checks the arguments every series query shares; throws BAD_USER_INPUT naming the problem. */
export function seriesRequest(args: SeriesArguments): SeriesRequest {
  const hasRun = args.rlRunId !== undefined && args.rlRunId !== null;
  const hasRuns = args.runs !== undefined && args.runs !== null;
  if (hasRun === hasRuns) {
    throw badInput(
      hasRun ? 'give rlRunId or runs, not both' : 'give rlRunId (one run) or runs (up to 20)',
    );
  }
  const runs = hasRun ? [args.rlRunId!] : [...new Set(args.runs)];
  if (runs.length < 1 || runs.length > MAX_SERIES_RUNS) {
    throw badInput(`runs must name 1 to ${MAX_SERIES_RUNS} runs (got ${runs.length})`);
  }
  const maxPoints = args.maxPoints ?? MAX_POINTS.default;
  if (maxPoints < 1 || maxPoints > MAX_POINTS.max) {
    throw badInput(`maxPoints must be between 1 and ${MAX_POINTS.max} (got ${maxPoints})`);
  }
  const fromStep = args.fromStep ?? null;
  const toStep = args.toStep ?? null;
  for (const [name, step] of [
    ['fromStep', fromStep],
    ['toStep', toStep],
  ] as const) {
    if (step !== null && step < 0)
      throw badInput(`${name} must be >= 0, as steps are (got ${step})`);
  }
  if (fromStep !== null && toStep !== null && fromStep > toStep) {
    throw badInput(`fromStep (${fromStep}) must not be after toStep (${toStep})`);
  }
  return { runs, fromStep, toStep, maxPoints };
}
