import { verifierNode } from '@tracker/read-model';
import { graphqlRaw, rewardAssignedEvent, rlStartedEvent } from '@tracker/testing';
import { TrackerUnderTest } from './support/tracker-under-test';

// Verifier names and versions may both hold "@": name "a@b" version "c" and name "a" version
// "b@c" once shared the node id verifier:a@b@c. With "%" and "@" escaped in the name they are
// two nodes everywhere: lineage edges from rewards, node(id), impact, lineage from the verifier
// and the lineage_graph view. A third name, "a%40b", would collide if "%" were not escaped.

describe('verifier node ids', () => {
  let under: TrackerUnderTest;
  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => under.gql<Data>(query, variables);

  const run = rlStartedEvent();
  const R = run.data.rlRunId;
  const atInName = { name: 'a@b', version: 'c' };
  const atInVersion = { name: 'a', version: 'b@c' };
  const escapeInName = { name: 'a%40b', version: 'c' };
  // Each verifier gives a different number of rewards, so counts say whose they are.
  const verifiers = [
    { verifier: atInName, node: 'verifier:a%40b@c', steps: [1, 1, 2] },
    { verifier: atInVersion, node: 'verifier:a@b@c', steps: [3, 4] },
    { verifier: escapeInName, node: 'verifier:a%2540b@c', steps: [5] },
  ].map((judge) => ({
    ...judge,
    rewards: judge.steps.map((step) =>
      rewardAssignedEvent({ rlRunId: R, step, verifier: judge.verifier }),
    ),
  }));

  beforeAll(async () => {
    under = await TrackerUnderTest.start('verifier_ids');
    await under.sendAndProject([run, ...verifiers.flatMap((judge) => judge.rewards)]);
  });
  afterAll(() => under?.stop());

  it('builds the same ids in TypeScript and in SQL', async () => {
    const pairs = [atInName, atInVersion, escapeInName, { name: '%@%', version: '@%40' }];
    const { rows } = await under.database.pool.query<{ node: string }>(
      `SELECT verifier_node(name, version) AS node FROM unnest($1::text[], $2::text[]) AS v(name, version)`,
      [pairs.map((pair) => pair.name), pairs.map((pair) => pair.version)],
    );
    expect(rows.map((row) => row.node)).toEqual(
      pairs.map((pair) => verifierNode(pair.name, pair.version)),
    );
  });

  it('links each reward to its own verifier node, in the API and in lineage_graph', async () => {
    for (const { node, rewards } of verifiers) {
      const reward = `reward:${rewards[0].data.rewardId}`;
      const { lineage } = await gql(
        `query($id: ID!) { lineage(id: $id, depth: 1) {
          nodes { id kind entity { ... on Verifier { name version } } }
          edges { src relation dst } } }`,
        { id: reward },
      );
      const verifierNodes = lineage.nodes.filter(
        (candidate: { kind: string }) => candidate.kind === 'verifier',
      );
      expect(verifierNodes).toHaveLength(1);
      expect(verifierNodes[0].id).toBe(node);
      expect(lineage.edges).toContainEqual({ src: reward, relation: 'by', dst: node });
    }
    const { rows } = await under.database.pool.query<{ src: string; dst: string }>(
      `SELECT src, dst FROM lineage_graph WHERE relation = 'by' AND src = ANY($1::text[])`,
      [verifiers.flatMap((judge) => judge.rewards.map((event) => `reward:${event.data.rewardId}`))],
    );
    const expected = verifiers.flatMap(({ node, rewards }) =>
      rewards.map((event) => ({ src: `reward:${event.data.rewardId}`, dst: node })),
    );
    expect(rows).toHaveLength(expected.length);
    expect(rows).toEqual(expect.arrayContaining(expected));
  });

  it('resolves each node id to its own verifier, and an unused one to null', async () => {
    const { x, y, z, unused, entities } = await gql(
      `query($x: ID!, $y: ID!, $z: ID!, $unused: ID!, $reward: ID!) {
        x: node(id: $x) { __typename ... on Verifier { name version } }
        y: node(id: $y) { __typename ... on Verifier { name version } }
        z: node(id: $z) { __typename ... on Verifier { name version } }
        unused: node(id: $unused) { __typename }
        entities: lineage(id: $reward, depth: 1) { nodes { id entity { ... on Verifier { name version } } } }
      }`,
      {
        x: verifiers[0].node,
        y: verifiers[1].node,
        z: verifiers[2].node,
        unused: 'verifier:a@b', // name "a" version "b": never named by a reward
        reward: `reward:${verifiers[1].rewards[0].data.rewardId}`,
      },
    );
    expect(x).toEqual({ __typename: 'Verifier', ...atInName });
    expect(y).toEqual({ __typename: 'Verifier', ...atInVersion });
    expect(z).toEqual({ __typename: 'Verifier', ...escapeInName });
    expect(unused).toBeNull();
    expect(entities.nodes).toContainEqual({ id: verifiers[1].node, entity: atInVersion });
  });

  it('counts the impact of each verifier version apart', async () => {
    for (const { verifier, node, steps } of verifiers) {
      const { impact } = await gql(
        `query($verifier: VerifierRef) { impact(verifier: $verifier) {
          source rewardCount runs { rlRunId rewardCount firstStep lastStep } } }`,
        { verifier },
      );
      expect(impact).toEqual({
        source: node,
        rewardCount: steps.length,
        runs: [
          {
            rlRunId: R,
            rewardCount: steps.length,
            firstStep: Math.min(...steps),
            lastStep: Math.max(...steps),
          },
        ],
      });
    }
  });

  it('walks downstream from each verifier node to its own rewards only', async () => {
    for (const { node, steps } of verifiers) {
      const { lineage } = await gql(
        `query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM) {
          root nodes { id } groups { node relation kind rlRunId count firstStep lastStep } } }`,
        { id: node },
      );
      expect(lineage).toEqual({
        root: node,
        nodes: [{ id: node }],
        groups: [
          {
            node,
            relation: 'by',
            kind: 'reward',
            rlRunId: R,
            count: steps.length,
            firstStep: Math.min(...steps),
            lastStep: Math.max(...steps),
          },
        ],
      });
    }
  });

  it('refuses a malformed escape in a verifier name', async () => {
    const { errors } = await graphqlRaw(
      under.url,
      `query($id: ID!) { node(id: $id) { __typename } }`,
      { id: 'verifier:a%4@b' },
    );
    expect(errors).toEqual([
      expect.objectContaining({
        message:
          'id: "verifier:a%4@b" has a malformed escape "%4" in the verifier name: only %25 ("%") and %40 ("@") are allowed',
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
      }),
    ]);
  });
});
