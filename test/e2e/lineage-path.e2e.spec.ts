import {
  datasetMembersAddedEvent,
  freshId,
  graphqlRaw,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  trajectoryRecordedEvent,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// lineagePath through fan-outs larger than an expansion lists (100 per node and relation): a
// version of 152 members, a tool called by 121 trajectories, a run of 151 rollouts. Ids are
// chosen so that the member, caller or rollout on the chain sorts last: never listed, only
// reachable through the probes of those fan-outs.

describe('lineagePath through large fan-outs', () => {
  let under: TrackerUnderTest;
  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => under.gql<Data>(query, variables);

  const tag = freshId('path');
  const padded = (index: number) => String(index).padStart(3, '0');
  const calling = (trajectoryId: string, toolId: string) =>
    trajectoryRecordedEvent({
      trajectoryId,
      turns: [
        { role: 'user', content: 'Find me a flight.' },
        { role: 'assistant', content: null, toolCalls: [{ toolId, arguments: {} }] },
      ],
    });

  // TX is called only by X; TP by Y and 120 others; TQ only by Z, which no version contains.
  const TX = `${tag}-tool-special`;
  const TP = `${tag}-tool-popular`;
  const TQ = `${tag}-tool-lonely`;
  const TB = `${tag}-tool-busy`;
  const X = `${tag}-zz-special`;
  const Y = `${tag}-zz-popular`;
  const Z = `${tag}-zz-lonely`;
  const callers = (tool: string, name: string) =>
    Array.from({ length: 120 }, (_, index) => calling(`${tag}-${name}-${padded(index)}`, tool));
  const fillers = Array.from({ length: 150 }, (_, index) => `${tag}-member-${padded(index)}`);
  const D = `${tag}-dataset`;
  const DV = `dataset_version:${D}@1`;
  const members = datasetMembersAddedEvent({
    datasetId: D,
    version: 1,
    memberIds: [...fillers, X, Y],
  });
  const run = rlStartedEvent({ datasets: [{ datasetId: D, version: 1 }] });
  const R = run.data.rlRunId;
  // 150 rollouts of R, then O at the last step: a run's rollouts are listed by step.
  const C = `${tag}-checkpoint`;
  const task = `${tag}-task`;
  const rollouts = Array.from({ length: 150 }, (_, index) =>
    rolloutCompletedEvent({ rlRunId: R, taskId: task, step: index + 1, policyCheckpointId: C }),
  );
  const last = rolloutCompletedEvent({
    rlRunId: R,
    taskId: task,
    step: 151,
    policyCheckpointId: C,
  });
  const O = last.data.rolloutId;
  const reward = rewardAssignedEvent({
    rlRunId: R,
    rolloutId: O,
    step: 151,
    verifier: { name: `${tag}-math`, version: '1.0' },
  });
  const W = reward.data.rewardId;

  beforeAll(async () => {
    under = await TrackerUnderTest.start('lineage_path');
    await under.sendAndProject([
      calling(X, TX),
      calling(Y, TP),
      calling(Z, TQ),
      ...callers(TP, 'caller'),
      ...callers(TB, 'busy'),
      members,
      run,
    ]);
    await under.sendAndProject([...rollouts, last, reward]);
  });
  afterAll(() => under?.stop());

  const PATH = `query($from: ID!, $to: ID!, $maxDepth: Int) {
    lineagePath(from: $from, to: $to, maxDepth: $maxDepth) {
      direction complete incompleteReason edges { src relation dst }
    }
  }`;
  const path = async (from: string, to: string, maxDepth?: number) =>
    (await gql(PATH, { from, to, maxDepth })).lineagePath;
  const edge = (src: string, relation: string, dst: string) => ({ src, relation, dst });
  const proven = (direction: string, edges: object[]) => ({
    direction,
    complete: true,
    incompleteReason: null,
    edges,
  });

  const runToSpecial = [
    edge(`rl_run:${R}`, 'trains_on', DV),
    edge(DV, 'contains', `trajectory:${X}`),
    edge(`trajectory:${X}`, 'calls', `tool:${TX}`),
  ];

  it('sets up fan-outs whose member on the chain is not listed', async () => {
    const LISTED = `query($id: ID!, $direction: LineageDirection) {
      lineage(id: $id, direction: $direction, depth: 1) {
        nodes { id } groups { node relation count listed }
      }
    }`;
    const version = await gql(LISTED, { id: DV });
    expect(version.lineage.groups).toEqual([
      { node: DV, relation: 'contains', count: 152, listed: 100 },
    ]);
    const listedMembers = version.lineage.nodes.map((node: { id: string }) => node.id);
    expect(listedMembers).not.toContain(`trajectory:${X}`);
    expect(listedMembers).not.toContain(`trajectory:${Y}`);
    const popular = await gql(LISTED, { id: `tool:${TP}`, direction: 'DOWNSTREAM' });
    expect(popular.lineage.groups).toEqual([
      { node: `tool:${TP}`, relation: 'calls', count: 121, listed: 100 },
    ]);
    expect(popular.lineage.nodes.map((node: { id: string }) => node.id)).not.toContain(
      `trajectory:${Y}`,
    );
    const ofRun = await gql(LISTED, { id: `rl_run:${R}`, direction: 'DOWNSTREAM' });
    expect(ofRun.lineage.groups).toEqual([
      { node: `rl_run:${R}`, relation: 'in', count: 151, listed: 100 },
    ]);
    expect(ofRun.lineage.nodes.map((node: { id: string }) => node.id)).not.toContain(
      `rollout:${O}`,
    );
  });

  it('finds a chain through a version member that is not listed: run -> version -> member -> tool', async () => {
    expect(await path(`rl_run:${R}`, `tool:${TX}`)).toEqual(proven('UPSTREAM', runToSpecial));
  });

  it('finds the same chain the other way round, downstream', async () => {
    expect(await path(`tool:${TX}`, `rl_run:${R}`)).toEqual(
      proven('DOWNSTREAM', [...runToSpecial].reverse()),
    );
  });

  it('finds a version member that is not listed, both ways', async () => {
    const contains = [edge(DV, 'contains', `trajectory:${X}`)];
    expect(await path(DV, `trajectory:${X}`)).toEqual(proven('UPSTREAM', contains));
    expect(await path(`trajectory:${X}`, DV)).toEqual(proven('DOWNSTREAM', contains));
  });

  it('finds a member shared by two fan-outs that list neither: a version and a popular tool', async () => {
    expect(await path(`rl_run:${R}`, `tool:${TP}`)).toEqual(
      proven('UPSTREAM', [
        edge(`rl_run:${R}`, 'trains_on', DV),
        edge(DV, 'contains', `trajectory:${Y}`),
        edge(`trajectory:${Y}`, 'calls', `tool:${TP}`),
      ]),
    );
  });

  it('finds chains through the rollouts of a run, of a checkpoint, and on to a version member', async () => {
    const rewardToRollout = edge(`reward:${W}`, 'for', `rollout:${O}`);
    expect(await path(`reward:${W}`, `rl_run:${R}`)).toEqual(
      proven('UPSTREAM', [rewardToRollout, edge(`rollout:${O}`, 'in', `rl_run:${R}`)]),
    );
    const byCheckpoint = edge(`rollout:${O}`, 'by', `checkpoint:${C}`);
    expect(await path(`reward:${W}`, `checkpoint:${C}`)).toEqual(
      proven('UPSTREAM', [rewardToRollout, byCheckpoint]),
    );
    expect(await path(`checkpoint:${C}`, `reward:${W}`)).toEqual(
      proven('DOWNSTREAM', [byCheckpoint, rewardToRollout]),
    );
    expect(await path(`reward:${W}`, `tool:${TX}`)).toEqual(
      proven('UPSTREAM', [
        rewardToRollout,
        edge(`rollout:${O}`, 'in', `rl_run:${R}`),
        ...runToSpecial,
      ]),
    );
  });

  it('answers null when there is no chain, past fan-outs it does not list', async () => {
    expect(await path(`rl_run:${R}`, `tool:${TQ}`)).toBeNull();
    expect(await path(DV, `tool:${TQ}`)).toBeNull();
    expect(await path(`tool:${TX}`, `tool:${TP}`)).toBeNull();
  });

  it('counts maxDepth in edges: null below the chain, the chain at its length', async () => {
    expect(await path(`rl_run:${R}`, `tool:${TX}`, 2)).toBeNull();
    expect(await path(`rl_run:${R}`, `tool:${TX}`, 3)).toEqual(proven('UPSTREAM', runToSpecial));
    expect(await path(`reward:${W}`, `tool:${TX}`, 4)).toBeNull();
    expect((await path(`reward:${W}`, `tool:${TX}`, 5)).edges).toHaveLength(5);
    // At the limit only the probes of the fan-outs see these: neither end goes further.
    expect(await path(DV, `trajectory:${X}`, 1)).toEqual(
      proven('UPSTREAM', [edge(DV, 'contains', `trajectory:${X}`)]),
    );
    expect(await path(`reward:${W}`, `rl_run:${R}`, 2)).toEqual(
      proven('UPSTREAM', [
        edge(`reward:${W}`, 'for', `rollout:${O}`),
        edge(`rollout:${O}`, 'in', `rl_run:${R}`),
      ]),
    );
  });

  it('says it cannot tell, instead of null, when chains may hide behind unlisted members', async () => {
    // No member of the version calls TB, but unlisted members of both fan-outs are not
    // followed further: a longer chain through them is not ruled out.
    const { data, errors } = await graphqlRaw(under.url, PATH, { from: DV, to: `tool:${TB}` });
    expect(data?.lineagePath).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        message: `lineagePath: no chain of up to 2 edges either way, but the search stopped short of maxDepth 12: chains through members of fan-outs too large to list were not followed: ${DV} -contains-> 152 trajectory; 120 trajectory -calls-> tool:${TB}`,
        extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
      }),
    ]);
  });
});
