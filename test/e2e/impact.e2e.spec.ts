import {
  checkpointSavedEvent,
  freshId,
  graphqlRaw,
  rewardAssignedEvent,
  rlStartedEvent,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// Impact analysis of judges: an RL run whose math verifier changes version halfway, a second run
// that used the old version once, a run whose rl.started never came, and a critic version.
// Every answer is known in advance and asserted exactly.

describe('impact of a verifier or critic version', () => {
  let under: TrackerUnderTest;
  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => under.gql<Data>(query, variables);

  const verifierName = freshId('math-verify');
  const old = { name: verifierName, version: '1.0' };
  const fixed = { name: verifierName, version: '1.1' };
  const criticVersionId = freshId('critic');
  const runA = rlStartedEvent();
  const runB = rlStartedEvent();
  const unknownRunId = freshId('rl-never-started');
  const a = runA.data.rlRunId;
  const b = runB.data.rlRunId;

  const reward = (
    rlRunId: string,
    step: number,
    verifier: typeof old,
    domain = 'math',
    value = 1,
  ) => rewardAssignedEvent({ rlRunId, step, verifier, domain, kind: 'verifiable', value });
  const critique = (rlRunId: string, step: number) =>
    rewardAssignedEvent({
      rlRunId,
      step,
      kind: 'self_critic',
      domain: 'creative_writing',
      value: 0.7,
      verifier: undefined,
      criticVersionId,
    });
  const checkpoint = (rlRunId: string, step: number) => checkpointSavedEvent({ rlRunId, step });

  // Run A: the old version at steps 1-2 (math and logic), the fixed one at steps 3-4.
  const aRewardsOld = [
    reward(a, 1, old),
    reward(a, 1, old, 'logic', 0),
    reward(a, 1, old),
    reward(a, 2, old),
    reward(a, 2, old, 'math', 0),
  ];
  const aRewardsFixed = [reward(a, 3, fixed), reward(a, 4, fixed)];
  const aCritiques = [critique(a, 2), critique(a, 3)];
  const aCheckpoints = [1, 2, 3, 4].map((step) => checkpoint(a, step));
  // Run B: the old version once at step 10; checkpoints before and after it.
  const bRewards = [reward(b, 10, old, 'coding')];
  const bCheckpoints = [checkpoint(b, 5), checkpoint(b, 10), checkpoint(b, 12)];
  const unknownRunRewards = [reward(unknownRunId, 7, old), reward(unknownRunId, 8, old)];

  beforeAll(async () => {
    under = await TrackerUnderTest.start('impact');
    await under.sendAndProject([
      runA,
      runB,
      ...aRewardsOld,
      ...aRewardsFixed,
      ...aCritiques,
      ...aCheckpoints,
      ...bRewards,
      ...bCheckpoints,
      ...unknownRunRewards,
    ]);
  });
  afterAll(() => under?.stop());

  const IMPACT = `query($verifier: VerifierRef, $critic: ID) {
    impact(verifier: $verifier, criticVersionId: $critic) {
      source rewardCount
      runs {
        rlRunId rewardCount stepCount firstStep lastStep domains kinds
        rlRun { id }
        checkpointsAfterFirstStep { id step }
        rewards(first: 2) { edges { node { id step } } pageInfo { hasNextPage } }
      }
    }
  }`;
  const ids = (events: Array<{ data: { checkpointId?: string; rewardId?: string } }>) =>
    events.map((event) => event.data.checkpointId ?? event.data.rewardId);

  it('finds every run, step range and checkpoint downstream of the old verifier version', async () => {
    const { impact } = await gql(IMPACT, { verifier: old });
    expect(impact).toEqual({
      source: `verifier:${verifierName}@1.0`,
      rewardCount: 8,
      runs: [
        {
          rlRunId: a,
          rewardCount: 5,
          stepCount: 2,
          firstStep: 1,
          lastStep: 2,
          domains: ['logic', 'math'],
          kinds: ['verifiable'],
          rlRun: { id: a },
          checkpointsAfterFirstStep: aCheckpoints.map((event) => ({
            id: event.data.checkpointId,
            step: event.data.step,
          })),
          rewards: {
            edges: ids(aRewardsOld.slice(0, 2)).map((id, index) => ({
              node: { id, step: aRewardsOld[index].data.step },
            })),
            pageInfo: { hasNextPage: true },
          },
        },
        {
          rlRunId: b,
          rewardCount: 1,
          stepCount: 1,
          firstStep: 10,
          lastStep: 10,
          domains: ['coding'],
          kinds: ['verifiable'],
          rlRun: { id: b },
          // Saved at or after step 10: step 5 was trained before the first tainted reward.
          checkpointsAfterFirstStep: bCheckpoints.slice(1).map((event) => ({
            id: event.data.checkpointId,
            step: event.data.step,
          })),
          rewards: {
            edges: [{ node: { id: bRewards[0].data.rewardId, step: 10 } }],
            pageInfo: { hasNextPage: false },
          },
        },
        {
          // rl.started never came: the run is still reported, last, without its row.
          rlRunId: unknownRunId,
          rewardCount: 2,
          stepCount: 2,
          firstStep: 7,
          lastStep: 8,
          domains: ['math'],
          kinds: ['verifiable'],
          rlRun: null,
          checkpointsAfterFirstStep: [],
          rewards: {
            edges: ids(unknownRunRewards).map((id, index) => ({
              node: { id, step: unknownRunRewards[index].data.step },
            })),
            pageInfo: { hasNextPage: false },
          },
        },
      ],
    });
  });

  it('keeps the fixed version apart: only run A from step 3', async () => {
    const { impact } = await gql(IMPACT, { verifier: fixed });
    expect(impact.rewardCount).toBe(2);
    expect(impact.runs).toHaveLength(1);
    expect(impact.runs[0]).toMatchObject({
      rlRunId: a,
      rewardCount: 2,
      firstStep: 3,
      lastStep: 4,
      checkpointsAfterFirstStep: aCheckpoints
        .slice(2)
        .map((event) => ({ id: event.data.checkpointId, step: event.data.step })),
    });
  });

  it('finds what a critic version scored', async () => {
    const { impact } = await gql(IMPACT, { critic: criticVersionId });
    expect(impact).toMatchObject({
      source: `critic_version:${criticVersionId}`,
      rewardCount: 2,
      runs: [
        {
          rlRunId: a,
          rewardCount: 2,
          stepCount: 2,
          firstStep: 2,
          lastStep: 3,
          domains: ['creative_writing'],
          kinds: ['self_critic'],
        },
      ],
    });
  });

  it('answers an unknown judge with nothing, not an error', async () => {
    const { impact } = await gql(IMPACT, { verifier: { name: verifierName, version: '9.9' } });
    expect(impact).toEqual({ source: `verifier:${verifierName}@9.9`, rewardCount: 0, runs: [] });
  });

  it('refuses zero or two judges with a precise error', async () => {
    for (const variables of [{}, { verifier: old, critic: criticVersionId }]) {
      const { errors } = await graphqlRaw(under.url, IMPACT, variables);
      expect(errors).toEqual([
        expect.objectContaining({
          message: `impact: give exactly one of verifier or criticVersionId (got ${Object.keys(variables).length})`,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    }
  });

  it('lists the verifier versions of a run from the same rollups', async () => {
    const { rlRun } = await gql(
      `query($id: ID!) { rlRun(id: $id) { verifiers { name version rewardCount firstStep lastStep domains } } }`,
      { id: a },
    );
    expect(rlRun.verifiers).toEqual([
      { ...old, rewardCount: 5, firstStep: 1, lastStep: 2, domains: ['logic', 'math'] },
      { ...fixed, rewardCount: 2, firstStep: 3, lastStep: 4, domains: ['math'] },
    ]);
  });
});
