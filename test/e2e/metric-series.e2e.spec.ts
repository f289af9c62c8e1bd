import {
  appliedSeriesData,
  bitLength,
  expectedRewardSeries,
  expectedRolloutSeries,
  graphqlRaw,
  metricSeriesRun,
  rlStartedEvent,
  type ExpectedSeries,
  type SeriesQuery,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// rewardSeries and rolloutSeries of a generated pair of runs sent over HTTP and projected by
// the tracker's own projector (shuffled, redelivered, reused ids): every point is compared
// with what the test works out from the raw events it sent (libs/testing metric-series-oracle).

const REWARD_POINT = `fromStep toStep count mean std min max passRate hackFlaggedRate`;
const ROLLOUT_POINT = `fromStep toStep rollouts responseTokens { mean max p95 } meanPromptTokens
  truncationRate repeatRate abortedRate meanTurns meanToolCalls partialShare
  finishReasons { stop length repeat budget toolError partial aborted none }`;
const REWARD_SERIES = `query($rlRunId: ID, $runs: [ID!], $domain: String, $kind: RewardKind,
    $fromStep: Int, $toStep: Int, $maxPoints: Int) {
  rewardSeries(rlRunId: $rlRunId, runs: $runs, domain: $domain, kind: $kind, fromStep: $fromStep,
      toStep: $toStep, maxPoints: $maxPoints) {
    rlRunId fromStep toStep bucketWidth points { ${REWARD_POINT} } } }`;
const ROLLOUT_SERIES = `query($rlRunId: ID, $runs: [ID!], $fromStep: Int, $toStep: Int, $maxPoints: Int) {
  rolloutSeries(rlRunId: $rlRunId, runs: $runs, fromStep: $fromStep, toStep: $toStep,
      maxPoints: $maxPoints) {
    rlRunId fromStep toStep bucketWidth points { ${ROLLOUT_POINT} } } }`;

// Counts, steps, extremes and finish reason counts are exact; means, std, rates and p95 are
// compared to 10 significant digits.
const EXACT = new Set([
  'fromStep',
  'toStep',
  'bucketWidth',
  'count',
  'rollouts',
  'min',
  'max',
  'finishReasons',
]);

function approximately(expected: unknown, key = ''): unknown {
  if (EXACT.has(key)) return expected;
  if (typeof expected === 'number') {
    const digits = 10 - Math.ceil(Math.log10(Math.abs(expected) + 1));
    return expect.closeTo(expected, Math.max(0, digits));
  }
  if (Array.isArray(expected)) return expected.map((item) => approximately(item));
  if (expected !== null && typeof expected === 'object') {
    return Object.fromEntries(
      Object.entries(expected).map(([name, value]) => [name, approximately(value, name)]),
    );
  }
  return expected;
}

describe('rewardSeries and rolloutSeries', () => {
  let under: TrackerUnderTest;
  const run = metricSeriesRun(4242);
  const [a, b] = run.rlRunIds;
  const kept = appliedSeriesData(run.events);

  const rewardSeries = async (query: SeriesQuery & { domain?: string; kind?: string }) => {
    const { runs, ...rest } = query;
    const variables = {
      ...rest,
      ...(runs.length === 1 ? { rlRunId: runs[0] } : { runs }),
      kind: query.kind?.toUpperCase(),
    };
    return (await under.gql(REWARD_SERIES, variables)).rewardSeries;
  };
  const rolloutSeries = async (query: SeriesQuery) => {
    const { runs, ...rest } = query;
    const variables = { ...rest, ...(runs.length === 1 ? { rlRunId: runs[0] } : { runs }) };
    return (await under.gql(ROLLOUT_SERIES, variables)).rolloutSeries;
  };
  const nonEmpty = <Point>(series: Array<ExpectedSeries<Point>>) =>
    series.every((one) => one.points.length > 0);

  beforeAll(async () => {
    under = await TrackerUnderTest.start('series');
    // Three requests (so several projector batches), then a fresh event to wait for: the last
    // generated one may be a redelivery, journaled long before the rest.
    const third = Math.ceil(run.events.length / 3);
    for (let start = 0; start < run.events.length; start += third)
      await under.send(run.events.slice(start, start + third));
    await under.sendAndProject([rlStartedEvent({ rlRunId: a })]);
  });
  afterAll(() => under?.stop());

  it.each<[string, Omit<SeriesQuery, 'runs'>]>([
    ['one step per bucket', { maxPoints: 5000 }],
    ['the default 500 points', {}],
    ['maxPoints null, the default', { maxPoints: null as unknown as number }],
    ['buckets of 8 and 64-step blocks', { maxPoints: 7 }],
    ['buckets of 512-step blocks', { maxPoints: 2 }],
    ['one bucket', { maxPoints: 1 }],
    ['an unaligned window', { fromStep: 5, toStep: 1000, maxPoints: 13 }],
    ['a window beyond the data', { fromStep: 1200, toStep: 1300 }],
  ])('rewardSeries of one run: %s', async (_name, shape) => {
    const query = { runs: [a], ...shape };
    const expected = expectedRewardSeries(kept.rewards, query);
    expect(nonEmpty(expected)).toBe((shape.fromStep ?? 0) < 1200);
    expect(await rewardSeries(query)).toEqual(approximately(expected));
  });

  it('rewardSeries of several runs: one grid for all, in the order asked, unknown runs empty', async () => {
    const query = { runs: [b, 'no-such-run', a], maxPoints: 40 };
    const expected = expectedRewardSeries(kept.rewards, query);
    expect(expected.map((series) => series.points.length > 0)).toEqual([true, false, true]);
    expect(await rewardSeries(query)).toEqual(approximately(expected));
    const twenty = { runs: [a, ...Array.from({ length: 18 }, (_, i) => `idle-${i}`), b] };
    expect(await rewardSeries(twenty)).toEqual(
      approximately(expectedRewardSeries(kept.rewards, twenty)),
    );
    const window = { runs: [a, b], fromStep: 10, toStep: 45, maxPoints: 9 };
    expect(await rewardSeries(window)).toEqual(
      approximately(expectedRewardSeries(kept.rewards, window)),
    );
  });

  it.each<[string, { domain?: string; kind?: string; maxPoints?: number }]>([
    ['a domain of two kinds', { domain: 'math' }],
    ['a kind of two domains', { kind: 'verifiable' }],
    ['a domain and a kind', { domain: 'creative_writing', kind: 'self_critic' }],
    ['human rewards', { domain: 'math', kind: 'human', maxPoints: 50 }],
    ['a domain without rewards', { domain: 'safety' }],
  ])('rewardSeries filtered: %s', async (_name, filter) => {
    const query = { runs: [a, b], maxPoints: 300, ...filter };
    const expected = expectedRewardSeries(kept.rewards, query);
    expect(nonEmpty(expected)).toBe(filter.domain !== 'safety');
    expect(await rewardSeries(query)).toEqual(approximately(expected));
  });

  it.each<[string, SeriesQuery]>([
    ['one step per bucket', { runs: [a, b], maxPoints: 5000 }],
    ['the default 500 points', { runs: [a] }],
    ['wide buckets', { runs: [a], maxPoints: 3 }],
    ['one bucket', { runs: [b, a], maxPoints: 1 }],
    ['an unaligned window', { runs: [a], fromStep: 3, toStep: 777, maxPoints: 11 }],
  ])('rolloutSeries: %s', async (_name, query) => {
    const expected = expectedRolloutSeries(kept.rollouts, query);
    expect(nonEmpty(expected)).toBe(true);
    expect(await rolloutSeries(query)).toEqual(approximately(expected));
  });

  it('rolloutSeries p95 lies in the bucket of the true 95th percentile', async () => {
    const [series] = await rolloutSeries({ runs: [a], maxPoints: 5000 });
    for (const point of series.points as Array<{ fromStep: number; responseTokens: any }>) {
      const tokens = kept.rollouts
        .filter((rollout) => rollout.rlRunId === a && rollout.step === point.fromStep)
        .map((rollout) => rollout.responseTokens)
        .sort((x, y) => x - y);
      const truth = tokens[Math.ceil(0.95 * tokens.length) - 1];
      const bucket = bitLength(truth);
      const [low, high] = bucket === 0 ? [0, 0] : [2 ** (bucket - 1), 2 ** bucket - 1];
      expect(point.responseTokens.p95).toBeGreaterThanOrEqual(low);
      expect(point.responseTokens.p95).toBeLessThanOrEqual(high);
    }
  });

  it.each([
    [{ rlRunId: 'x', runs: ['y'] }, 'give rlRunId or runs, not both'],
    [{}, 'give rlRunId (one run) or runs (up to 20)'],
    [
      { runs: Array.from({ length: 21 }, (_, i) => `run-${i}`) },
      'runs must name 1 to 20 runs (got 21)',
    ],
    [{ rlRunId: 'x', maxPoints: 0 }, 'maxPoints must be between 1 and 5000 (got 0)'],
    [{ rlRunId: 'x', maxPoints: 5001 }, 'maxPoints must be between 1 and 5000 (got 5001)'],
    [{ rlRunId: 'x', fromStep: 9, toStep: 8 }, 'fromStep (9) must not be after toStep (8)'],
  ])('rejects %j with BAD_USER_INPUT', async (variables, message) => {
    for (const query of [REWARD_SERIES, ROLLOUT_SERIES]) {
      const answer = await graphqlRaw(under.url, query, variables);
      expect(answer.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
        ['BAD_USER_INPUT', message],
      ]);
    }
  });
});
