import { buildSchema, parse } from 'graphql';
import { operationLimitErrors, type OperationLimits } from './operation-limits';

// A schema of the API's shapes: connections paged by `first`, series bucketed by `maxPoints`.
const schema = buildSchema(`
  type Query {
    runs(first: Int): RunConnection!
    run(id: ID!): Run
    series(maxPoints: Int): [Series!]!
    impact(first: Int! = 20): Impact!
  }
  type RunConnection { edges: [RunEdge!]! pageInfo: PageInfo! }
  type RunEdge { cursor: String! node: Run! }
  type PageInfo { hasNextPage: Boolean! }
  type Run { id: ID! parent: Run rewards(first: Int): RewardConnection! }
  type RewardConnection { edges: [RewardEdge!]! }
  type RewardEdge { node: Reward! }
  type Reward { id: ID! }
  type Series { bucketWidth: Float! points: [Point!]! }
  type Point { step: Int! mean: Float! }
  type Impact { agents: Reach! }
  type Reach { count: Int! ids: [ID!]! }
`);

const lenient: OperationLimits = { maxDepth: 100, maxAliases: 100, maxCost: 1 };

/** The cost the rule reports for `query` (its limit set to 1 so that it always reports). */
function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const [error] = operationLimitErrors(schema, parse(query), variables, lenient);
  return Number(/costs (\d+)/.exec(error.message)![1]);
}

function messagesOf(query: string, limits: OperationLimits): string[] {
  return operationLimitErrors(schema, parse(query), {}, limits).map((error) => error.message);
}

describe('query cost', () => {
  it('multiplies the edges of a connection by first, not its pageInfo', () => {
    // runs 1 + edges (1 + cursor 1) x 10 + pageInfo 1 + hasNextPage 1
    expect(costOf('{ runs(first: 10) { edges { cursor } pageInfo { hasNextPage } } }')).toBe(23);
  });

  it('takes first from the variables, else the page default (50)', () => {
    const query = 'query($n: Int) { runs(first: $n) { edges { cursor } } }';
    expect(costOf(query, { n: 7 })).toBe(1 + 2 * 7);
    expect(costOf(query)).toBe(1 + 2 * 50);
  });

  it("uses the argument's schema default when it has one", () => {
    // impact 1 + agents 1 + count 1 + ids 1 x 20
    expect(costOf('{ impact { agents { count ids } } }')).toBe(23);
  });

  it('multiplies nested pages', () => {
    const query =
      '{ runs(first: 10) { edges { node { rewards(first: 5) { edges { node { id } } } } } } }';
    // rewards: 1 + (edges + node + id) x 5 = 16; runs: 1 + (edges + node + 16) x 10
    expect(costOf(query)).toBe(1 + 18 * 10);
  });

  it("multiplies a series' points by maxPoints (default 500), not its bucketWidth", () => {
    expect(costOf('{ series(maxPoints: 100) { bucketWidth points { step mean } } }')).toBe(
      1 + 1 + 3 * 100,
    );
    expect(costOf('{ series { points { step } } }')).toBe(1 + 2 * 500);
  });

  it('counts a fragment at the page size of each place it is spread', () => {
    const query = `{ a: runs(first: 2) { ...Edges } b: runs(first: 3) { ...Edges } }
      fragment Edges on RunConnection { edges { cursor } }`;
    expect(costOf(query)).toBe(1 + 2 * 2 + (1 + 2 * 3));
  });
});

describe('query depth and aliases', () => {
  it('counts depth through fragments and refuses one past the limit', () => {
    const query = `{ run(id: "r") { ...Two } } fragment Two on Run { parent { parent { id } } }`;
    expect(messagesOf(query, { maxDepth: 4, maxAliases: 10, maxCost: 1000 })).toEqual([]);
    expect(messagesOf(query, { maxDepth: 3, maxAliases: 10, maxCost: 1000 })).toEqual([
      'query depth limit exceeded: the operation nests fields 4 deep; the limit (GRAPHQL_MAX_DEPTH) is 3',
    ]);
  });

  it('counts the aliases of a fragment each time it is spread', () => {
    const query = `{ a: run(id: "a") { ...Ids } b: run(id: "b") { ...Ids } }
      fragment Ids on Run { x: id y: id }`;
    expect(messagesOf(query, { maxDepth: 10, maxAliases: 6, maxCost: 1000 })).toEqual([]);
    expect(messagesOf(query, { maxDepth: 10, maxAliases: 5, maxCost: 1000 })).toEqual([
      'alias limit exceeded: the operation has 6 aliased fields; the limit (GRAPHQL_MAX_ALIASES) is 5',
    ]);
  });
});
