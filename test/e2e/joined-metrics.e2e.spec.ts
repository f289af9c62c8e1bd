import {
  expectEventually,
  expectedJoinedMetrics,
  freshId,
  graphqlRaw,
  joinedMetricsRun,
  type AnyWireEvent,
  type JoinedMetricsExpectation,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// groupSeries, criticAgreement and synthesisFunnel over HTTP on a generated run (seeded,
// shuffled, with redeliveries and reused ids) sent in several requests. Every expected answer is
// recounted here from the raw events, in the order the journal took them, and bucketed here.

const SEED = 4_2026;

type StepRow = JoinedMetricsExpectation['groupStepStats'][number];
type AgreementRow = JoinedMetricsExpectation['criticAgreement'][number];

/** The bucket grid: from fromStep (else the first step in `steps`), ceil(span / maxPoints) wide. */
function grid(steps: number[], fromStep: number | null, toStep: number | null, maxPoints: number) {
  const first = fromStep ?? Math.min(...steps);
  const last = toStep ?? Math.max(...steps);
  const width = Math.ceil((last - first + 1) / maxPoints);
  const bucketOf = (step: number) => first + Math.floor((step - first) / width) * width;
  return {
    first,
    last,
    width,
    bucketOf,
    end: (bucket: number) => Math.min(bucket + width - 1, last),
  };
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const codePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function expectedGroupSeries(
  rows: StepRow[],
  runs: string[],
  filter: { kind?: string; domain?: string; fromStep?: number; toStep?: number; maxPoints: number },
) {
  const scoped = rows.filter(
    (row) =>
      runs.includes(row.rl_run_id) &&
      (filter.fromStep === undefined || row.step >= filter.fromStep) &&
      (filter.toStep === undefined || row.step <= filter.toStep),
  );
  const picked = scoped.filter(
    (row) =>
      (filter.kind === undefined || row.kind === filter.kind) &&
      (filter.domain === undefined || row.domain === filter.domain),
  );
  if (picked.length === 0) return [];
  const g = grid(
    scoped.map((row) => row.step),
    filter.fromStep ?? null,
    filter.toStep ?? null,
    filter.maxPoints,
  );
  const keys = [
    ...new Set(picked.map((row) => `${row.rl_run_id}\u0000${row.kind}\u0000${row.domain}`)),
  ]
    .map((key) => key.split('\u0000'))
    .sort(
      ([runA, kindA, domainA], [runB, kindB, domainB]) =>
        runs.indexOf(runA) - runs.indexOf(runB) ||
        codePoint(kindA, kindB) ||
        codePoint(domainA, domainB),
    );
  return keys.map(([rlRunId, kind, domain]) => {
    const own = picked.filter(
      (row) => row.rl_run_id === rlRunId && row.kind === kind && row.domain === domain,
    );
    const buckets = [...new Set(own.map((row) => g.bucketOf(row.step)))].sort((a, b) => a - b);
    return {
      rlRunId,
      kind,
      domain,
      fromStep: g.first,
      toStep: g.last,
      bucketWidth: g.width,
      points: buckets.map((bucket) => {
        const inBucket = own.filter((row) => g.bucketOf(row.step) === bucket);
        const sum = (column: keyof StepRow) =>
          inBucket.reduce((total, row) => total + (row[column] as number), 0);
        return {
          fromStep: bucket,
          toStep: g.end(bucket),
          groups: sum('groups'),
          rewards: sum('rewards'),
          meanGroupSize: sum('rewards') / sum('groups'),
          multiRewardGroups: sum('multi_reward_groups'),
          zeroVarianceGroups: sum('zero_variance_groups'),
          zeroStdShare: ratio(sum('zero_variance_groups'), sum('multi_reward_groups')),
          passGroups: kind === 'verifiable' ? sum('pass_groups') : null,
          passAtKShare: kind === 'verifiable' ? ratio(sum('pass_groups'), sum('groups')) : null,
        };
      }),
    };
  });
}

function expectedCriticAgreement(
  expected: JoinedMetricsExpectation,
  rlRunId: string,
  filter: { criticVersionId?: string; domain?: string; maxPoints: number },
) {
  const inRun = expected.criticAgreement.filter((row) => row.rl_run_id === rlRunId);
  const g = grid(
    inRun.filter((row) => row.rubric_id === '').map((row) => row.step),
    null,
    null,
    filter.maxPoints,
  );
  const counts = (rows: AgreementRow[]) => {
    const verifiablePairs = rows.reduce((total, row) => total + row.verifiable_pairs, 0);
    const decisivePairs = rows.reduce((total, row) => total + row.decisive_pairs, 0);
    const agreed = rows.reduce((total, row) => total + row.agreed, 0);
    return { verifiablePairs, decisivePairs, agreed, accuracy: ratio(agreed, decisivePairs) };
  };
  const versions = [
    ...new Set(
      expected.criticComparisonCounts
        .filter((row) => row.rl_run_id === rlRunId)
        .map((row) => row.critic_version_id),
    ),
  ]
    .filter((version) => filter.criticVersionId === undefined || version === filter.criticVersionId)
    .sort(codePoint);
  return versions.map((criticVersionId) => {
    const own = inRun.filter(
      (row) =>
        row.critic_version_id === criticVersionId &&
        (filter.domain === undefined || row.domain === filter.domain),
    );
    const domains = [...new Set(own.map((row) => row.domain))].sort(codePoint);
    return {
      criticVersionId,
      comparedPairs: expected.criticComparisonCounts
        .filter((row) => row.rl_run_id === rlRunId && row.critic_version_id === criticVersionId)
        .reduce((total, row) => total + row.comparisons, 0),
      ...counts(own.filter((row) => row.rubric_id === '')),
      domains: domains.map((domain) => {
        const mine = own.filter((row) => row.domain === domain);
        const overall = mine.filter((row) => row.rubric_id === '');
        const buckets = [...new Set(overall.map((row) => g.bucketOf(row.step)))].sort(
          (a, b) => a - b,
        );
        return {
          domain,
          ...counts(overall),
          bucketWidth: g.width,
          rubrics: [...new Set(mine.map((row) => row.rubric_id))]
            .filter((rubricId) => rubricId !== '')
            .sort(codePoint)
            .map((rubricId) => ({
              rubricId,
              ...counts(mine.filter((row) => row.rubric_id === rubricId)),
            })),
          series: buckets.map((bucket) => ({
            fromStep: bucket,
            toStep: g.end(bucket),
            ...counts(overall.filter((row) => g.bucketOf(row.step) === bucket)),
          })),
        };
      }),
    };
  });
}

describe('metrics joining several events, over GraphQL', () => {
  let under: TrackerUnderTest;
  let expected: JoinedMetricsExpectation;
  const run = joinedMetricsRun(SEED);
  const [runA, runB] = run.rlRunIds;

  beforeAll(async () => {
    under = await TrackerUnderTest.start('joined_metrics');
    const chunk = 60;
    for (let start = 0; start < run.events.length; start += chunk)
      await under.send(run.events.slice(start, start + chunk));
    const distinct = new Set(run.events.map((event) => event.id)).size;
    await expectEventually(async () => {
      const { rows } = await under.database.pool.query(
        'SELECT count(*)::int AS n FROM event_journal',
      );
      expect(rows[0].n).toBe(distinct);
    });
    // The journal's order decides which reused id won and which verifiable reward came first.
    const byId = new Map<string, AnyWireEvent>(run.events.map((event) => [event.id, event]));
    const { rows } = await under.database.pool.query<{ event_id: string; position: string }>(
      'SELECT event_id, position FROM event_journal ORDER BY position',
    );
    expected = expectedJoinedMetrics(
      rows.map((row) => ({ event: byId.get(row.event_id)!, position: Number(row.position) })),
    );
  });
  afterAll(() => under?.stop());

  const GROUP_SERIES = `query($rlRunId: ID, $runs: [ID!], $kind: RewardKind, $domain: String,
      $fromStep: Int, $toStep: Int, $maxPoints: Int!) {
    groupSeries(rlRunId: $rlRunId, runs: $runs, kind: $kind, domain: $domain, fromStep: $fromStep,
        toStep: $toStep, maxPoints: $maxPoints) {
      rlRunId kind domain fromStep toStep bucketWidth
      points { fromStep toStep groups rewards meanGroupSize multiRewardGroups zeroVarianceGroups
               zeroStdShare passGroups passAtKShare }
    }
  }`;

  it('answers the group series of two runs, merged into a few buckets', async () => {
    // A bucket count dividing the span, so that an off-by-one width would show.
    const steps = expected.groupStepStats
      .filter((row) => row.rl_run_id === runA || row.rl_run_id === runB)
      .map((row) => row.step);
    const span = Math.max(...steps) - Math.min(...steps) + 1;
    const maxPoints = [3, 2, 4, 5].find((points) => span % points === 0 && span > points) ?? 3;
    const answer = await under.gql(GROUP_SERIES, { runs: [runB, runA], maxPoints });
    const wanted = expectedGroupSeries(expected.groupStepStats, [runB, runA], { maxPoints });
    // Several kinds and domains, buckets of several steps.
    expect(wanted.length).toBeGreaterThan(6);
    expect(wanted[0].bucketWidth).toBeGreaterThan(1);
    expect(answer.groupSeries).toEqual(wanted);
  });

  it('answers one run, kind and domain in a step window', async () => {
    const filter = { kind: 'verifiable', domain: 'math', fromStep: 1, toStep: 6, maxPoints: 2 };
    const answer = await under.gql(GROUP_SERIES, {
      rlRunId: runA,
      ...filter,
      kind: 'VERIFIABLE',
    });
    const wanted = expectedGroupSeries(expected.groupStepStats, [runA], filter);
    expect(wanted).toHaveLength(1);
    expect(wanted[0].points.some((point) => point.zeroVarianceGroups > 0)).toBe(true);
    expect(answer.groupSeries).toEqual(wanted);
  });

  const CRITIC_AGREEMENT = `query($rlRunId: ID!, $criticVersionId: ID, $domain: String,
      $maxPoints: Int!) {
    criticAgreement(rlRunId: $rlRunId, criticVersionId: $criticVersionId, domain: $domain,
        maxPoints: $maxPoints) {
      criticVersionId comparedPairs verifiablePairs decisivePairs agreed accuracy
      domains {
        domain verifiablePairs decisivePairs agreed accuracy bucketWidth
        rubrics { rubricId verifiablePairs decisivePairs agreed accuracy }
        series { fromStep toStep verifiablePairs decisivePairs agreed accuracy }
      }
    }
  }`;

  it('answers the critic agreement of every critic version of a run, per domain and rubric', async () => {
    const answer = await under.gql(CRITIC_AGREEMENT, { rlRunId: runA, maxPoints: 500 });
    const wanted = expectedCriticAgreement(expected, runA, { maxPoints: 500 });
    expect(wanted).toHaveLength(2);
    expect(wanted.every((version) => version.comparedPairs > version.verifiablePairs)).toBe(true);
    expect(wanted.some((version) => version.decisivePairs > version.agreed)).toBe(true);
    expect(answer.criticAgreement).toEqual(wanted);
  });

  it('answers one critic version in one domain, with a merged series', async () => {
    const filter = { criticVersionId: run.criticVersionIds[0], domain: 'math', maxPoints: 2 };
    const answer = await under.gql(CRITIC_AGREEMENT, { rlRunId: runA, ...filter });
    const wanted = expectedCriticAgreement(expected, runA, filter);
    expect(wanted[0].domains[0].bucketWidth).toBeGreaterThan(1);
    expect(answer.criticAgreement).toEqual(wanted);
  });

  const FUNNEL = `query($id: ID!) {
    synthesisFunnel(synthesisRunId: $id) {
      synthesisRunId tasks passedTasks trajectories passedTrajectories passedShare toolsCalled
      toolsRegistered toolsUnregistered catalogTools
    }
  }`;

  it('answers the funnel of the synthesis run, and null for an unknown one', async () => {
    const [funnel] = expected.synthesisFunnels;
    const answer = await under.gql(FUNNEL, { id: run.synthesisRunId });
    expect(answer.synthesisFunnel).toEqual({
      synthesisRunId: run.synthesisRunId,
      tasks: funnel.tasks,
      passedTasks: funnel.passed_tasks,
      trajectories: funnel.trajectories,
      passedTrajectories: funnel.passed_trajectories,
      passedShare: funnel.passed_trajectories / funnel.trajectories,
      toolsCalled: funnel.tools_called,
      toolsRegistered: funnel.tools_registered,
      toolsUnregistered: funnel.tools_called - funnel.tools_registered,
      // The run registers five tools (one twice); no other suite writes to this database.
      catalogTools: 5,
    });
    expect((await under.gql(FUNNEL, { id: freshId('synthesis') })).synthesisFunnel).toBeNull();
  });

  it.each([
    [
      'groupSeries with both rlRunId and runs',
      GROUP_SERIES,
      { rlRunId: 'a', runs: ['b'], maxPoints: 5 },
      'give rlRunId or runs, not both',
    ],
    ['groupSeries with no run', GROUP_SERIES, { maxPoints: 5 }, 'give rlRunId (one run) or runs'],
    [
      'groupSeries with fromStep after toStep',
      GROUP_SERIES,
      { rlRunId: 'a', fromStep: 9, toStep: 3, maxPoints: 5 },
      'fromStep (9) must not be after toStep (3)',
    ],
    [
      'groupSeries with maxPoints 0',
      GROUP_SERIES,
      { rlRunId: 'a', maxPoints: 0 },
      'maxPoints must be between 1 and',
    ],
    [
      'criticAgreement with an empty run id',
      CRITIC_AGREEMENT,
      { rlRunId: '', maxPoints: 5 },
      'rlRunId: must be 1 to 128 characters (got 0)',
    ],
    [
      'criticAgreement with a negative fromStep',
      `query { criticAgreement(rlRunId: "a", fromStep: -1) { criticVersionId } }`,
      {},
      'fromStep must be >= 0',
    ],
    [
      'synthesisFunnel with an id of 129 characters',
      FUNNEL,
      { id: 'x'.repeat(129) },
      'synthesisRunId: must be 1 to 128 characters (got 129)',
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_case, query, variables, message) => {
    const body = await graphqlRaw(under.url, query, variables);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toContain(message);
  });
});
