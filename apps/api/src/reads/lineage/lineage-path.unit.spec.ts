import type { NodeKind, Relation } from '@tracker/read-model';
import type { Link, LinkGroup } from './lineage-links.sql';
import { findPath, type PathQueries } from './lineage-path';

// findPath over in-memory graphs whose expansions list only `cap` neighbours per node and
// relation, like expandNodes: edges from rollouts are counted per target, never listed going
// down, and listed in full going up. A brute-force breadth-first search is the oracle.

const KINDS: NodeKind[] = ['tool', 'task', 'trajectory', 'rollout'];
const RELATIONS: Relation[] = ['calls', 'of', 'in'];
const kindOf = (node: string) => node.slice(0, node.indexOf(':')) as NodeKind;
const key = (link: Link) => `${link.src}|${link.relation}|${link.dst}`;

/** A small deterministic generator (a linear congruential one), so failures replay. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function randomGraph(next: () => number): { nodes: string[]; edges: Link[] } {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const count = 8 + Math.floor(next() * 30);
  const nodes = Array.from({ length: count }, (_, i) => `${pick(KINDS)}:n${100 + i}`);
  const edges = new Map<string, Link>();
  for (let i = Math.floor(count * (1 + next() * 3)); i > 0; i--) {
    const link = { src: pick(nodes), relation: pick(RELATIONS), dst: pick(nodes) };
    if (link.src !== link.dst) edges.set(key(link), link);
  }
  return { nodes, edges: [...edges.values()] };
}

function inMemory(edges: Link[], cap: number, unanswered: () => boolean): PathQueries {
  const known = new Set(edges.map(key));
  const group = (link: Link, node: string, direction: 'up' | 'down', count: number) =>
    ({
      node,
      relation: link.relation,
      direction,
      kind: kindOf(direction === 'up' ? link.dst : link.src),
      rlRunId: null,
      count,
      countExact: true,
      firstStep: null,
      lastStep: null,
      listed: direction === 'down' && kindOf(link.src) === 'rollout' ? 0 : cap,
    }) satisfies LinkGroup;
  return {
    async expand(nodes, direction) {
      const links: Link[] = [];
      const groups: LinkGroup[] = [];
      for (const node of nodes) {
        for (const relation of RELATIONS) {
          const all = edges
            .filter((e) => e.relation === relation && (direction === 'up' ? e.src : e.dst) === node)
            .sort((a, b) => key(a).localeCompare(key(b)));
          if (direction === 'up' && kindOf(node) === 'rollout') links.push(...all);
          else if (direction === 'up') {
            links.push(...all.slice(0, cap));
            if (all.length > cap) groups.push(group(all[0], node, 'up', all.length));
          } else {
            const rows = all.filter((e) => kindOf(e.src) === 'rollout');
            const stored = all.filter((e) => kindOf(e.src) !== 'rollout');
            if (rows.length > 0) groups.push(group(rows[0], node, 'down', rows.length));
            links.push(...stored.slice(0, cap));
            if (stored.length > cap) groups.push(group(stored[0], node, 'down', stored.length));
          }
        }
      }
      return { links, groups };
    },
    existing: async (candidates) => candidates.filter((link) => known.has(key(link))),
    through: async (pairs) =>
      pairs.map(({ up, down }) => {
        if (unanswered()) return undefined;
        const members = edges.filter((e) => e.src === up.node && e.relation === up.relation);
        const shared = members.find((member) =>
          known.has(key({ src: member.dst, relation: down.relation, dst: down.node })),
        );
        return shared?.dst ?? null;
      }),
  };
}

function shortestUpstream(edges: Link[], from: string, to: string, maxDepth: number) {
  const distance = new Map([[from, 0]]);
  let frontier = [from];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    frontier = edges
      .filter((e) => frontier.includes(e.src) && !distance.has(e.dst))
      .map((e) => (distance.set(e.dst, depth), e.dst));
  }
  return distance.get(to) ?? null;
}

/** Whether `links` are edges of the graph leading from `from` to `to`. */
const isChain = (edges: Link[], links: Link[], from: string, to: string) =>
  links.every(
    (link, i) =>
      edges.some((e) => key(e) === key(link)) && link.src === (links[i - 1]?.dst ?? from),
  ) && (links.at(-1)?.dst ?? from) === to;

describe('findPath', () => {
  it('answers like a full search whenever it says complete, with real chains and true bounds', async () => {
    const wrong: string[] = [];
    let complete = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const next = random(seed);
      const { nodes, edges } = randomGraph(next);
      const maxDepth = 1 + Math.floor(next() * 8);
      const maxNodes = next() < 0.2 ? 3 + Math.floor(next() * 15) : 1000;
      const cap = 1 + Math.floor(next() * 3);
      const unanswerable = next() < 0.3;
      const queries = inMemory(edges, cap, () => unanswerable && next() < 0.3);
      const from = nodes[0];
      const to = nodes[1 + Math.floor(next() * (nodes.length - 1))];
      const { path, ...answer } = await findPath({ from, to, maxDepth, maxNodes }, queries);
      const up = shortestUpstream(edges, from, to, maxDepth);
      const down = shortestUpstream(edges, to, from, maxDepth);
      const at = `seed ${seed} (${from} to ${to}, maxDepth ${maxDepth}, maxNodes ${maxNodes})`;
      const chained =
        !path ||
        (path.direction === 'up'
          ? isChain(edges, path.links, from, to)
          : isChain(edges, [...path.links].reverse(), to, from));
      if (!chained) wrong.push(`${at}: not a chain of the graph`);
      const found = JSON.stringify(path && [path.direction, path.links.length]);
      const full = JSON.stringify(up !== null ? ['up', up] : down !== null ? ['down', down] : null);
      if (answer.complete && found !== full)
        wrong.push(`${at}: complete with ${found}, not ${full}`);
      if (answer.complete) complete++;
      const hidden = [up, down].some((length) => length !== null && length <= answer.noneUpTo);
      if (!answer.complete && !path && hidden) wrong.push(`${at}: none up to ${answer.noneUpTo}?`);
    }
    expect(wrong).toEqual([]);
    expect(complete).toBeGreaterThan(1200);
  });

  it('meets through a member two fan-outs share, and says so when it cannot check that', async () => {
    // tool:a -calls-> task:b1, task:b2, task:x; task:c1, task:c2, task:x -of-> trajectory:z. With
    // one listed per node and relation, x is listed by neither end.
    const edges: Link[] = [
      ...['b1', 'b2', 'x'].map((id) => ({
        src: 'tool:a',
        relation: 'calls' as const,
        dst: `task:${id}`,
      })),
      ...['c1', 'c2', 'x'].map((id) => ({
        src: `task:${id}`,
        relation: 'of' as const,
        dst: 'trajectory:z',
      })),
    ];
    const request = { from: 'tool:a', to: 'trajectory:z', maxDepth: 2, maxNodes: 100 };
    expect(
      await findPath(
        request,
        inMemory(edges, 1, () => false),
      ),
    ).toMatchObject({
      path: { direction: 'up', links: [edges[2], edges[5]] },
      complete: true,
    });
    const unchecked = await findPath(
      request,
      inMemory(edges, 1, () => true),
    );
    expect(unchecked).toMatchObject({ path: null, complete: false, noneUpTo: 1 });
    expect(unchecked.incompleteReason).toBe(
      'chains through members of fan-outs too large to list were not followed: tool:a -calls-> 3 task; 3 task -of-> trajectory:z',
    );
  });

  it('gives up at the node budget and says so, rather than answer null', async () => {
    // a -calls-> b1..b5 -of-> c: the budget of 4 runs out at the fan-out.
    const middle = ['b1', 'b2', 'b3', 'b4', 'b5'].map((id) => `task:${id}`);
    const edges: Link[] = middle.flatMap((node) => [
      { src: 'tool:a', relation: 'calls', dst: node },
      { src: node, relation: 'of', dst: 'trajectory:c' },
    ]);
    const queries = inMemory(edges, 100, () => false);
    const request = { from: 'tool:a', to: 'trajectory:z', maxDepth: 5, maxNodes: 4 };
    expect(await findPath(request, queries)).toEqual({
      path: null,
      complete: false,
      incompleteReason: 'node budget of 4 reached',
      noneUpTo: 0,
      searchedNodes: expect.any(Number),
    });
    const roomy = await findPath({ ...request, maxNodes: 100 }, queries);
    expect(roomy).toMatchObject({ path: null, complete: true });
  });
});
