import {
  agentDefinedEvent,
  checkpointSavedEvent,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  freshId,
  graphqlRaw,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
} from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// Lineage walks over a small pipeline whose graph is known edge by edge: stored edges (tools,
// agents, tasks, trajectories, datasets, runs, checkpoints) and edges derived from rollout and
// reward rows, in both directions, with depth, budget, filters, paths and node lookups.

describe('lineage', () => {
  let under: TrackerUnderTest;
  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => under.gql<Data>(query, variables);

  const seed = toolRegisteredEvent();
  const T0 = seed.data.toolId;
  const evolved = toolRegisteredEvent({ evolvedFrom: [T0] });
  const T1 = evolved.data.toolId;
  const agent = agentDefinedEvent({ toolIds: [T0, T1] });
  const A = agent.data.agentId;
  const task = taskDefinedEvent({ agentId: A });
  const K = task.data.taskId;
  const synthesis = synthesisStartedEvent();
  const S = synthesis.data.synthesisRunId;
  const trajectory = trajectoryRecordedEvent({
    synthesisRunId: S,
    taskId: K,
    agentId: A,
    turns: [
      { role: 'user', content: 'Find me a flight.' },
      { role: 'assistant', content: null, toolCalls: [{ toolId: T1, arguments: {} }] },
    ],
  });
  const J = trajectory.data.trajectoryId;
  const D = freshId('dataset');
  const members = datasetMembersAddedEvent({ datasetId: D, version: 1, memberIds: [J] });
  const seal = datasetSealedEvent({ datasetId: D, version: 1, memberIds: [J] });
  const C0 = freshId('base-checkpoint'); // never saved by the tracker: a node known from edges
  const run = rlStartedEvent({
    policy: { model: 'k2-sft', baseCheckpointId: C0 },
    datasets: [{ datasetId: D, version: 1 }],
  });
  const R = run.data.rlRunId;
  const checkpoint = checkpointSavedEvent({ rlRunId: R, step: 1, parentCheckpointId: C0 });
  const C1 = checkpoint.data.checkpointId;
  const first = rolloutCompletedEvent({ rlRunId: R, taskId: K, step: 1, policyCheckpointId: C1 });
  const O1 = first.data.rolloutId;
  const second = rolloutCompletedEvent({
    rlRunId: R,
    taskId: K,
    step: 2,
    policyCheckpointId: C1,
    partialOf: O1,
  });
  const O2 = second.data.rolloutId;
  const verifier = { name: freshId('math'), version: '1.0' };
  const V = `${verifier.name}@${verifier.version}`;
  const W1 = rewardAssignedEvent({ rlRunId: R, rolloutId: O1, step: 1, verifier }).data.rewardId;
  const rewards = [
    rewardAssignedEvent({ rewardId: W1, rlRunId: R, rolloutId: O1, step: 1, verifier }),
    rewardAssignedEvent({ rlRunId: R, rolloutId: O2, step: 2, verifier }),
  ];
  const W2 = rewards[1].data.rewardId;
  // A version of 150 members: more than a walk lists per node and relation (100).
  const D3 = freshId('dataset');
  const manyMembers = Array.from({ length: 150 }, () => freshId('trajectory'));
  const bigVersion = datasetMembersAddedEvent({
    datasetId: D3,
    version: 1,
    memberIds: manyMembers,
  });
  // A second run starting from C1, with its own dataset, verifier and critics, saving C2 at step 3.
  const D2 = freshId('dataset');
  const startingCritic = freshId('critic');
  const scoringCritic = freshId('critic');
  const secondRun = rlStartedEvent({
    policy: { model: 'k2-rl', baseCheckpointId: C1 },
    datasets: [{ datasetId: D2, version: 1 }],
    criticVersionId: startingCritic,
    config: { learningRate: 2e-6 },
  });
  const R2 = secondRun.data.rlRunId;
  const C2event = checkpointSavedEvent({ rlRunId: R2, step: 3, parentCheckpointId: C1 });
  const C2 = C2event.data.checkpointId;
  const verifier2 = { name: freshId('code'), version: '2.0' };
  const laterVerifier = { name: verifier2.name, version: '2.1' };
  const secondRunRewards = [
    rewardAssignedEvent({ rlRunId: R2, step: 1, verifier: verifier2 }),
    rewardAssignedEvent({ rlRunId: R2, step: 3, verifier: verifier2, domain: 'coding' }),
    rewardAssignedEvent({
      rlRunId: R2,
      step: 2,
      kind: 'self_critic',
      value: 0.5,
      verifier: undefined,
      criticVersionId: scoringCritic,
    }),
    // After C2 was saved: not part of what led to it.
    rewardAssignedEvent({ rlRunId: R2, step: 4, verifier: laterVerifier }),
  ];

  beforeAll(async () => {
    under = await TrackerUnderTest.start('lineage');
    const events = [
      seed,
      evolved,
      agent,
      task,
      synthesis,
      trajectory,
      members,
      seal,
      run,
      checkpoint,
      first,
      second,
      ...rewards,
      bigVersion,
      secondRun,
      C2event,
      ...secondRunRewards,
    ];
    await under.sendAndProject(events);
  });
  afterAll(() => under?.stop());

  const LINEAGE = `query($id: ID!, $direction: LineageDirection, $depth: Int, $first: Int,
                        $relations: [String!], $kinds: [String!]) {
    lineage(id: $id, direction: $direction, depth: $depth, first: $first,
            relations: $relations, kinds: $kinds) {
      root truncated truncatedReason
      nodes { id kind distance }
      edges { src relation dst }
      groups { node relation direction kind rlRunId count countExact firstStep lastStep listed }
    }
  }`;
  const byId = (nodes: Array<{ id: string; distance: number }>) =>
    Object.fromEntries(nodes.map((node) => [node.id, node.distance]));
  const edgeSet = (edges: Array<{ src: string; relation: string; dst: string }>) =>
    edges.map((edge) => `${edge.src} -${edge.relation}-> ${edge.dst}`).sort();

  it('walks upstream from a reward to everything it came from, each node at its distance', async () => {
    const { lineage } = await gql(LINEAGE, { id: `reward:${W1}`, depth: 10 });
    expect(byId(lineage.nodes)).toEqual({
      [`reward:${W1}`]: 0,
      [`rollout:${O1}`]: 1,
      [`verifier:${V}`]: 1,
      [`rl_run:${R}`]: 2,
      [`task:${K}`]: 2,
      [`checkpoint:${C1}`]: 2,
      [`dataset_version:${D}@1`]: 3,
      [`checkpoint:${C0}`]: 3,
      [`agent:${A}`]: 3,
      [`trajectory:${J}`]: 4,
      [`tool:${T0}`]: 4,
      [`tool:${T1}`]: 4,
      [`synthesis_run:${S}`]: 5,
    });
    expect(lineage.nodes[0]).toEqual({ id: `reward:${W1}`, kind: 'reward', distance: 0 });
    expect(edgeSet(lineage.edges)).toEqual(
      [
        `reward:${W1} -for-> rollout:${O1}`,
        `reward:${W1} -by-> verifier:${V}`,
        `rollout:${O1} -in-> rl_run:${R}`,
        `rollout:${O1} -of-> task:${K}`,
        `rollout:${O1} -by-> checkpoint:${C1}`,
        `rl_run:${R} -trains_on-> dataset_version:${D}@1`,
        `rl_run:${R} -starts_from-> checkpoint:${C0}`,
        `task:${K} -for-> agent:${A}`,
        `checkpoint:${C1} -of-> rl_run:${R}`,
        `checkpoint:${C1} -parent-> checkpoint:${C0}`,
        `dataset_version:${D}@1 -contains-> trajectory:${J}`,
        `agent:${A} -uses-> tool:${T0}`,
        `agent:${A} -uses-> tool:${T1}`,
        `trajectory:${J} -of-> task:${K}`,
        `trajectory:${J} -by-> agent:${A}`,
        `trajectory:${J} -in-> synthesis_run:${S}`,
        `trajectory:${J} -calls-> tool:${T1}`,
        `tool:${T1} -evolved_from-> tool:${T0}`,
      ].sort(),
    );
    expect(lineage).toMatchObject({ truncated: false, truncatedReason: null, groups: [] });
  });

  it('stops at the depth asked', async () => {
    const { lineage } = await gql(LINEAGE, { id: `reward:${W1}`, depth: 1 });
    expect(byId(lineage.nodes)).toEqual({
      [`reward:${W1}`]: 0,
      [`rollout:${O1}`]: 1,
      [`verifier:${V}`]: 1,
    });
  });

  it('stops at the node budget and says where', async () => {
    const { lineage } = await gql(LINEAGE, { id: `reward:${W1}`, depth: 10, first: 4 });
    expect(byId(lineage.nodes)).toEqual({
      [`reward:${W1}`]: 0,
      [`rollout:${O1}`]: 1,
      [`verifier:${V}`]: 1,
      [`rl_run:${R}`]: 2,
    });
    expect(edgeSet(lineage.edges)).toEqual(
      [
        `reward:${W1} -for-> rollout:${O1}`,
        `reward:${W1} -by-> verifier:${V}`,
        `rollout:${O1} -in-> rl_run:${R}`,
      ].sort(),
    );
    expect(lineage).toMatchObject({
      truncated: true,
      truncatedReason: 'node budget of 4 reached at distance 2',
    });
  });

  it('walks only the relations and kinds asked', async () => {
    const { lineage } = await gql(LINEAGE, {
      id: `tool:${T1}`,
      direction: 'DOWNSTREAM',
      depth: 5,
      relations: ['uses', 'calls'],
    });
    expect(byId(lineage.nodes)).toEqual({
      [`tool:${T1}`]: 0,
      [`agent:${A}`]: 1,
      [`trajectory:${J}`]: 1,
    });
    const onlyAgents = await gql(LINEAGE, {
      id: `tool:${T1}`,
      direction: 'DOWNSTREAM',
      depth: 5,
      kinds: ['agent', 'task'],
    });
    // tool <-uses- agent <-for- task; the trajectories (calls, by, of) are not entered.
    expect(byId(onlyAgents.lineage.nodes)).toEqual({
      [`tool:${T1}`]: 0,
      [`agent:${A}`]: 1,
      [`task:${K}`]: 2,
    });
  });

  it('lists a run downstream, and counts the rollouts of a task and the rewards of a verifier per run', async () => {
    const down = await gql(LINEAGE, { id: `rl_run:${R}`, direction: 'DOWNSTREAM', depth: 1 });
    expect(byId(down.lineage.nodes)).toEqual({
      [`rl_run:${R}`]: 0,
      [`checkpoint:${C1}`]: 1,
      [`rollout:${O1}`]: 1,
      [`rollout:${O2}`]: 1,
    });
    expect(down.lineage.truncated).toBe(false);

    const ofTask = await gql(LINEAGE, { id: `task:${K}`, direction: 'DOWNSTREAM', depth: 1 });
    expect(byId(ofTask.lineage.nodes)).toEqual({ [`task:${K}`]: 0, [`trajectory:${J}`]: 1 });
    expect(ofTask.lineage.groups).toEqual([
      {
        node: `task:${K}`,
        relation: 'of',
        direction: 'DOWNSTREAM',
        kind: 'rollout',
        rlRunId: R,
        count: 2,
        countExact: true,
        firstStep: 1,
        lastStep: 2,
        listed: 0,
      },
    ]);
    expect(ofTask.lineage).toMatchObject({
      truncated: true,
      truncatedReason: 'some fan-outs are counted in groups, not listed',
    });

    const ofVerifier = await gql(LINEAGE, { id: `verifier:${V}`, direction: 'DOWNSTREAM' });
    expect(ofVerifier.lineage.groups).toEqual([
      {
        node: `verifier:${V}`,
        relation: 'by',
        direction: 'DOWNSTREAM',
        kind: 'reward',
        rlRunId: R,
        count: 2,
        countExact: true,
        firstStep: 1,
        lastStep: 2,
        listed: 0,
      },
    ]);
  });

  it('lists 100 neighbours per node and relation and counts the rest', async () => {
    const { lineage } = await gql(LINEAGE, { id: `dataset_version:${D3}@1`, depth: 1 });
    expect(lineage.nodes).toHaveLength(101);
    const members = new Set(manyMembers.map((id) => `trajectory:${id}`));
    for (const node of lineage.nodes.slice(1)) expect(members.has(node.id)).toBe(true);
    expect(lineage.edges).toHaveLength(100);
    expect(lineage.groups).toEqual([
      {
        node: `dataset_version:${D3}@1`,
        relation: 'contains',
        direction: 'UPSTREAM',
        kind: 'trajectory',
        rlRunId: null,
        count: 150,
        countExact: true,
        firstStep: null,
        lastStep: null,
        listed: 100,
      },
    ]);
    expect(lineage.truncated).toBe(true);
  });

  it('walks both ways from a rollout, each way outwards', async () => {
    const { lineage } = await gql(LINEAGE, { id: `rollout:${O1}`, direction: 'BOTH', depth: 1 });
    expect(byId(lineage.nodes)).toEqual({
      [`rollout:${O1}`]: 0,
      [`rl_run:${R}`]: 1,
      [`task:${K}`]: 1,
      [`checkpoint:${C1}`]: 1,
      [`reward:${W1}`]: 1,
      [`rollout:${O2}`]: 1,
    });
  });

  const PATH = `query($from: ID!, $to: ID!) {
    lineagePath(from: $from, to: $to) { direction edges { src relation dst } }
  }`;

  it('finds the shortest path either way, or none', async () => {
    const up = await gql(PATH, { from: `reward:${W2}`, to: `tool:${T0}` });
    expect(up.lineagePath).toEqual({
      direction: 'UPSTREAM',
      edges: [
        { src: `reward:${W2}`, relation: 'for', dst: `rollout:${O2}` },
        { src: `rollout:${O2}`, relation: 'of', dst: `task:${K}` },
        { src: `task:${K}`, relation: 'for', dst: `agent:${A}` },
        { src: `agent:${A}`, relation: 'uses', dst: `tool:${T0}` },
      ],
    });
    const down = await gql(PATH, { from: `tool:${T0}`, to: `reward:${W2}` });
    expect(down.lineagePath).toEqual({
      direction: 'DOWNSTREAM',
      edges: [...up.lineagePath.edges].reverse(),
    });
    const none = await gql(PATH, { from: `tool:${T0}`, to: `synthesis_run:${S}` });
    expect(none.lineagePath).toBeNull();
  });

  it('resolves node ids to their entities, and nodes known only from edges to null', async () => {
    const { reward, verifierNode, base, dataset, entities } = await gql(
      `query($reward: ID!, $verifier: ID!, $base: ID!, $dataset: ID!) {
        reward: node(id: $reward) { __typename ... on Reward { id step } }
        verifierNode: node(id: $verifier) { __typename ... on Verifier { name version } }
        base: node(id: $base) { __typename }
        dataset: node(id: $dataset) { __typename ... on DatasetVersion { datasetId version sealed } }
        entities: lineage(id: $reward, depth: 1) { nodes { id entity { __typename } } }
      }`,
      {
        reward: `reward:${W1}`,
        verifier: `verifier:${V}`,
        base: `checkpoint:${C0}`,
        dataset: `dataset_version:${D}@1`,
      },
    );
    expect(reward).toEqual({ __typename: 'Reward', id: W1, step: 1 });
    expect(verifierNode).toEqual({ __typename: 'Verifier', ...verifier });
    expect(base).toBeNull();
    expect(dataset).toEqual({
      __typename: 'DatasetVersion',
      datasetId: D,
      version: 1,
      sealed: true,
    });
    expect(entities.nodes).toEqual([
      { id: `reward:${W1}`, entity: { __typename: 'Reward' } },
      { id: `rollout:${O1}`, entity: { __typename: 'Rollout' } },
      { id: `verifier:${V}`, entity: { __typename: 'Verifier' } },
    ]);
  });

  it('gives the provenance of a checkpoint through its parent and the base of its run', async () => {
    const { checkpoint } = await gql(
      `query($id: ID!) { checkpoint(id: $id) { provenance {
        checkpoints { id step }
        unrecordedCheckpointIds
        runs { rlRunId upToStep run { id config } verifiers { name version rewardCount firstStep lastStep } criticVersionIds }
        datasetVersions { datasetId version }
        verifiers { name version }
        criticVersionIds
      } } }`,
      { id: C2 },
    );
    expect(checkpoint.provenance).toEqual({
      checkpoints: [
        { id: C2, step: 3 },
        { id: C1, step: 1 },
      ],
      unrecordedCheckpointIds: [C0],
      runs: [
        {
          rlRunId: R2,
          upToStep: 3,
          run: { id: R2, config: { learningRate: 2e-6 } },
          verifiers: [{ ...verifier2, rewardCount: 2, firstStep: 1, lastStep: 3 }],
          criticVersionIds: [startingCritic, scoringCritic],
        },
        {
          // C1 was saved by run R at step 1: R's rewards up to step 1 only (W2 at step 2 is not).
          rlRunId: R,
          upToStep: 1,
          run: { id: R, config: run.data.config },
          verifiers: [{ ...verifier, rewardCount: 1, firstStep: 1, lastStep: 1 }],
          criticVersionIds: [],
        },
      ],
      datasetVersions: [
        { datasetId: D2, version: 1 },
        { datasetId: D, version: 1 },
      ],
      verifiers: [verifier2, verifier],
      criticVersionIds: [startingCritic, scoringCritic],
    });
  });

  it('gives the impact of a tool: evolved tools, agents, tasks, trajectories, datasets and runs', async () => {
    const TOOL_IMPACT = `query($id: ID!) { toolImpact(id: $id) {
      source
      tools { count ids } agents { count ids } tasks { count ids } trajectories { count ids }
      datasetVersions { datasetId version }
      runs { rlRunId rolloutCount firstStep lastStep trainsOn { datasetId version } }
    } }`;
    const reach = {
      agents: { count: 1, ids: [A] },
      tasks: { count: 1, ids: [K] },
      trajectories: { count: 1, ids: [J] },
      datasetVersions: [{ datasetId: D, version: 1 }],
      runs: [
        {
          rlRunId: R,
          rolloutCount: 2,
          firstStep: 1,
          lastStep: 2,
          trainsOn: [{ datasetId: D, version: 1 }],
        },
      ],
    };
    const seedImpact = await gql(TOOL_IMPACT, { id: T0 });
    expect(seedImpact.toolImpact).toEqual({
      source: `tool:${T0}`,
      tools: { count: 2, ids: [T0, T1].sort() },
      ...reach,
    });
    const evolvedImpact = await gql(TOOL_IMPACT, { id: T1 });
    expect(evolvedImpact.toolImpact).toEqual({
      source: `tool:${T1}`,
      tools: { count: 1, ids: [T1] },
      ...reach,
    });
  });

  it('gives the impact of a dataset version: runs trained on it, runs started from them', async () => {
    const DATASET_IMPACT = `query($datasetId: ID!, $version: Int!) {
      datasetImpact(datasetId: $datasetId, version: $version) {
        source runs { rlRunId inheritedFrom rlRun { id } checkpoints { id step } }
      }
    }`;
    const first = await gql(DATASET_IMPACT, { datasetId: D, version: 1 });
    expect(first.datasetImpact).toEqual({
      source: `dataset_version:${D}@1`,
      runs: [
        { rlRunId: R, inheritedFrom: null, rlRun: { id: R }, checkpoints: [{ id: C1, step: 1 }] },
        // R2 trains on D2 only, but starts from C1, which R saved after training on D@1.
        { rlRunId: R2, inheritedFrom: C1, rlRun: { id: R2 }, checkpoints: [{ id: C2, step: 3 }] },
      ],
    });
    const second = await gql(DATASET_IMPACT, { datasetId: D2, version: 1 });
    expect(second.datasetImpact.runs).toEqual([
      { rlRunId: R2, inheritedFrom: null, rlRun: { id: R2 }, checkpoints: [{ id: C2, step: 3 }] },
    ]);
    const unknown = await gql(DATASET_IMPACT, { datasetId: D, version: 9 });
    expect(unknown.datasetImpact).toEqual({ source: `dataset_version:${D}@9`, runs: [] });
  });

  it('refuses malformed ids and out-of-range arguments with precise errors', async () => {
    const cases: Array<[string, Record<string, unknown>, unknown]> = [
      [
        LINEAGE,
        { id: 'reward' },
        'id: "reward" is not a typed node id KIND:ID (e.g. "tool:tool-1" or "dataset_version:sft-core@3")',
      ],
      [
        LINEAGE,
        { id: 'verifier:math' },
        'id: "verifier:math" does not name a version: verifiers are verifier:NAME@VERSION (e.g. "verifier:math@1.3")',
      ],
      [LINEAGE, { id: `reward:${W1}`, depth: 0 }, 'depth: must be an integer from 1 to 20 (got 0)'],
      [
        LINEAGE,
        { id: `reward:${W1}`, first: 5001 },
        'first: must be an integer from 1 to 5000 (got 5001)',
      ],
      [
        LINEAGE,
        { id: `reward:${W1}`, relations: ['feeds'] },
        'relations: unknown "feeds"; known: evolved_from, uses, for, of, by, in, calls, contains, trains_on, starts_from, parent, continues, judges, updated_in, evaluates',
      ],
      [
        PATH,
        { from: 'x:1', to: `reward:${W1}` },
        'from: "x:1" has an unknown kind "x"; kinds: tool, agent, task, synthesis_run, trajectory, dataset_version, rl_run, checkpoint, rollout, reward, comparison, critic_version, verifier, evaluation',
      ],
    ];
    for (const [query, variables, message] of cases) {
      const { errors } = await graphqlRaw(under.url, query, variables);
      expect(errors).toEqual([
        expect.objectContaining({
          message,
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
        }),
      ]);
    }
  });
});
