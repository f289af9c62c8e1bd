import type { EventData } from '@tracker/events';
import type { SeriesWireEvent } from './metric-series-run';

// Expected step series worked out from raw events, in plain TypeScript (not from SQL): what
// the projector applies (the first event of an id, the first row of an entity id, in delivery
// order), and the buckets the API promises (docs/metrics.md).

export type RolloutData = EventData<'rollout.completed'>;
export type RewardData = EventData<'reward.assigned'>;

/** The rollouts and rewards a projection of `events`, delivered in this order, keeps. */
export function appliedSeriesData(events: readonly SeriesWireEvent[]): {
  rollouts: RolloutData[];
  rewards: RewardData[];
} {
  const eventIds = new Set<string>();
  const rollouts = new Map<string, RolloutData>();
  const rewards = new Map<string, RewardData>();
  for (const event of events) {
    if (eventIds.has(event.id)) continue;
    eventIds.add(event.id);
    if (event.type === 'rollout.completed') {
      const data = event.data;
      if (!rollouts.has(data.rolloutId)) rollouts.set(data.rolloutId, data);
    } else {
      const data = event.data;
      if (!rewards.has(data.rewardId)) rewards.set(data.rewardId, data);
    }
  }
  return { rollouts: [...rollouts.values()], rewards: [...rewards.values()] };
}

export interface SeriesQuery {
  runs: readonly string[];
  fromStep?: number;
  toStep?: number;
  maxPoints?: number;
}

export interface ExpectedSeries<Point> {
  rlRunId: string;
  fromStep: number | null;
  toStep: number | null;
  bucketWidth: number | null;
  points: Point[];
}

/** Items per run and bucket, on the grid the series promise; empty buckets are left out. */
function bucketed<Item extends { rlRunId: string; step: number }, Point>(
  all: readonly Item[],
  selected: (item: Item) => boolean,
  query: SeriesQuery,
  point: (items: Item[], range: { fromStep: number; toStep: number }) => Point,
): Array<ExpectedSeries<Point>> {
  const ofRuns = all.filter((item) => query.runs.includes(item.rlRunId));
  const steps = ofRuns.map((item) => item.step);
  const first = steps.length ? Math.min(...steps) : null;
  const last = steps.length ? Math.max(...steps) : null;
  let lo = query.fromStep ?? (first === null ? null : Math.min(first, query.toStep ?? first));
  let hi = query.toStep ?? (last === null ? null : Math.max(last, query.fromStep ?? last));
  if (lo === null && hi !== null) lo = hi;
  if (hi === null && lo !== null) hi = lo;
  const width = lo === null ? null : Math.ceil((hi! - lo + 1) / (query.maxPoints ?? 500));
  return query.runs.map((rlRunId) => {
    const buckets = new Map<number, Item[]>();
    for (const item of ofRuns) {
      if (item.rlRunId !== rlRunId || !selected(item) || lo === null) continue;
      if (item.step < lo || item.step > hi!) continue;
      const bucket = Math.floor((item.step - lo) / width!);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), item]);
    }
    const points = [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([bucket, items]) => {
        const fromStep = lo! + bucket * width!;
        return point(items, { fromStep, toStep: Math.min(fromStep + width! - 1, hi!) });
      });
    return { rlRunId, fromStep: lo, toStep: hi, bucketWidth: width, points };
  });
}

export interface ExpectedRewardPoint {
  fromStep: number;
  toStep: number;
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  passRate: number | null;
  hackFlaggedRate: number;
}

/** rewardSeries from the rewards kept: two-pass mean and population std. */
export function expectedRewardSeries(
  rewards: readonly RewardData[],
  query: SeriesQuery & { domain?: string; kind?: string },
): Array<ExpectedSeries<ExpectedRewardPoint>> {
  return bucketed(
    rewards,
    (reward) =>
      (query.domain === undefined || reward.domain === query.domain) &&
      (query.kind === undefined || reward.kind === query.kind),
    query,
    (items, range) => {
      const values = items.map((reward) => reward.value);
      const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
      const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
      const verifiable = items.filter((reward) => reward.kind === 'verifiable');
      return {
        ...range,
        count: items.length,
        mean,
        std: Math.sqrt(variance),
        min: Math.min(...values),
        max: Math.max(...values),
        passRate: verifiable.length
          ? verifiable.filter((reward) => reward.value === 1).length / verifiable.length
          : null,
        hackFlaggedRate: items.filter((reward) => reward.hackCheck?.flagged).length / items.length,
      };
    },
  );
}

/** Bit length of a token count: its bucket in the response-token histogram. */
export const bitLength = (tokens: number): number => 32 - Math.clz32(tokens);

/** The documented p95 estimate, recomputed: exact bucket, linear inside it, capped at max. */
export function estimatedP95(tokens: readonly number[]): number {
  const counts = new Array<number>(32).fill(0);
  for (const count of tokens) counts[bitLength(count)]++;
  const rank = Math.ceil(0.95 * tokens.length);
  let below = 0;
  let bucket = 0;
  while (below + counts[bucket] < rank) below += counts[bucket++];
  const [low, high] = bucket === 0 ? [0, 0] : [2 ** (bucket - 1), 2 ** bucket - 1];
  return Math.min(Math.max(...tokens), low + ((high - low) * (rank - below)) / counts[bucket]);
}

export interface ExpectedRolloutPoint {
  fromStep: number;
  toStep: number;
  rollouts: number;
  responseTokens: { mean: number; max: number; p95: number };
  meanPromptTokens: number | null;
  truncationRate: number;
  repeatRate: number;
  abortedRate: number;
  finishReasons: Record<
    'stop' | 'length' | 'repeat' | 'budget' | 'toolError' | 'partial' | 'aborted' | 'none',
    number
  >;
  meanTurns: number | null;
  meanToolCalls: number | null;
  partialShare: number;
}

const meanOfReported = (values: ReadonlyArray<number | undefined>): number | null => {
  const reported = values.filter((value): value is number => value !== undefined);
  return reported.length ? reported.reduce((sum, value) => sum + value, 0) / reported.length : null;
};

/** rolloutSeries from the rollouts kept. */
export function expectedRolloutSeries(
  rollouts: readonly RolloutData[],
  query: SeriesQuery,
): Array<ExpectedSeries<ExpectedRolloutPoint>> {
  return bucketed(
    rollouts,
    () => true,
    query,
    (items, range) => {
      const tokens = items.map((rollout) => rollout.responseTokens);
      const finished = (reason: RolloutData['finishReason']) =>
        items.filter((rollout) => rollout.finishReason === reason).length;
      const n = items.length;
      return {
        ...range,
        rollouts: n,
        responseTokens: {
          mean: tokens.reduce((sum, count) => sum + count, 0) / n,
          max: Math.max(...tokens),
          p95: estimatedP95(tokens),
        },
        meanPromptTokens: meanOfReported(items.map((rollout) => rollout.promptTokens)),
        truncationRate: (finished('length') + finished('budget')) / n,
        repeatRate: finished('repeat') / n,
        abortedRate: finished('aborted') / n,
        finishReasons: {
          stop: finished('stop'),
          length: finished('length'),
          repeat: finished('repeat'),
          budget: finished('budget'),
          toolError: finished('tool_error'),
          partial: finished('partial'),
          aborted: finished('aborted'),
          none: finished(undefined),
        },
        meanTurns: meanOfReported(items.map((rollout) => rollout.numTurns)),
        meanToolCalls: meanOfReported(items.map((rollout) => rollout.numToolCalls)),
        partialShare: items.filter((rollout) => rollout.partialOf !== undefined).length / n,
      };
    },
  );
}
