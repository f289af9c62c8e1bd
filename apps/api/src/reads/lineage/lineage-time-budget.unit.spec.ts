import type { Link } from './lineage-links.sql';
import { findPath, type PathQueries } from './lineage-path';
import { timeBudget, walkLineage, type Expand } from './lineage-walk';

// LINEAGE_TIMEOUT_MS: a walk or a path search that runs out of time answers what it found, and
// says why it stopped; without a budget the same questions go all the way.

/** A chain task:0 -of-> task:1 -of-> ... -of-> task:20, each expansion taking `delayMs`. */
function slowChain(delayMs: number): { expand: Expand; queries: PathQueries } {
  const links: Link[] = Array.from({ length: 20 }, (_, index) => ({
    src: `task:${index}`,
    relation: 'of',
    dst: `task:${index + 1}`,
  }));
  const expand: Expand = async (nodes, direction) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const from = new Set(nodes);
    return {
      links: links.filter((link) => from.has(direction === 'up' ? link.src : link.dst)),
      groups: [],
    };
  };
  return {
    expand,
    queries: { expand, existing: async () => [], through: async (pairs) => pairs.map(() => null) },
  };
}

const walk = {
  root: 'task:0',
  directions: ['up'] as const,
  depth: 20,
  maxNodes: 100,
  perNode: 100,
};

describe('lineage time budget', () => {
  it('stops a walk at the level where the budget ran out, saying so', async () => {
    const { expand } = slowChain(40);
    const result = await walkLineage({ ...walk, timeBudget: timeBudget(100) }, expand);
    expect(result.truncatedReason).toMatch(
      /^time budget of 100 ms \(LINEAGE_TIMEOUT_MS\) ran out before distance \d+$/,
    );
    expect(result.nodes.length).toBeGreaterThan(1);
    expect(result.nodes.length).toBeLessThan(21);
  });

  it('walks the whole chain without one', async () => {
    const result = await walkLineage(walk, slowChain(1).expand);
    expect(result.nodes).toHaveLength(21);
    expect(result.truncatedReason).toBeNull();
  });

  it('gives up a path search when the budget runs out, and finds the chain without one', async () => {
    const request = { from: 'task:0', to: 'task:20', maxDepth: 20, maxNodes: 1000 };
    const timed = await findPath(
      { ...request, timeBudget: timeBudget(100) },
      slowChain(40).queries,
    );
    expect(timed).toMatchObject({
      path: null,
      complete: false,
      incompleteReason: 'time budget of 100 ms (LINEAGE_TIMEOUT_MS) ran out',
    });
    const untimed = await findPath(request, slowChain(1).queries);
    expect(untimed.complete).toBe(true);
    expect(untimed.path?.links).toHaveLength(20);
  });
});
