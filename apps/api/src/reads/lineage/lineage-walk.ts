import type { Expansion, Link, LinkGroup, WalkDirection } from './lineage-links.sql';
import { splitNode } from './lineage-links.sql';

export interface WalkRequest {
  readonly root: string;
  readonly directions: readonly WalkDirection[];
  readonly depth: number;
  /** Only these relations are walked (all when absent). */
  readonly relations?: ReadonlySet<string>;
  /** Only nodes of these kinds are entered, besides the root (all when absent). */
  readonly kinds?: ReadonlySet<string>;
  /** Node budget, root included. */
  readonly maxNodes: number;
  /** Neighbours listed per node and relation; more are counted in a group. */
  readonly perNode: number;
  /** Time budget (LINEAGE_TIMEOUT_MS): no level is started after it has run out. */
  readonly timeBudget?: TimeBudget;
}

/** A deadline, and the budget it came from (for the answer's reason). */
export interface TimeBudget {
  readonly deadline: number;
  readonly ms: number;
}

export const timeBudget = (ms: number, now = Date.now()): TimeBudget => ({
  deadline: now + ms,
  ms,
});

export const outOfTime = (budget: TimeBudget | undefined): boolean =>
  budget !== undefined && Date.now() >= budget.deadline;

export const outOfTimeReason = (budget: TimeBudget) =>
  `time budget of ${budget.ms} ms (LINEAGE_TIMEOUT_MS) ran out`;

export interface WalkedNode {
  readonly id: string;
  readonly kind: string;
  readonly distance: number;
}

export interface WalkResult {
  readonly nodes: WalkedNode[];
  readonly links: Link[];
  readonly groups: LinkGroup[];
  /** Why the answer is not the whole subgraph within `depth`, if it is not. */
  readonly truncatedReason: string | null;
}

export type Expand = (nodes: readonly string[], direction: WalkDirection) => Promise<Expansion>;

/**
 * Breadth-first walk from `root`, one batched expansion per level and direction: each node once
 * (cycle-safe), at its shortest distance; stops at `depth`, at the node budget and at the time
 * budget, saying so.
 */
export async function walkLineage(request: WalkRequest, expand: Expand): Promise<WalkResult> {
  const distance = new Map<string, number>([[request.root, 0]]);
  const links = new Map<string, Link>();
  const groups: LinkGroup[] = [];
  let truncatedReason: string | null = null;
  // The frontier keeps each node's direction: a BOTH walk goes up from what it found going up
  // and down from what it found going down, never back across the root.
  let frontier: Array<{ node: string; direction: WalkDirection }> = request.directions.map(
    (direction) => ({ node: request.root, direction }),
  );
  for (let level = 1; level <= request.depth && frontier.length > 0; level++) {
    if (outOfTime(request.timeBudget)) {
      truncatedReason = `${outOfTimeReason(request.timeBudget!)} before distance ${level}`;
      break;
    }
    const next: Array<{ node: string; direction: WalkDirection }> = [];
    for (const direction of request.directions) {
      const nodes = frontier
        .filter((item) => item.direction === direction)
        .map((item) => item.node);
      if (nodes.length === 0) continue;
      const expansion = await expand(nodes, direction);
      for (const group of expansion.groups) {
        if (!request.relations || request.relations.has(group.relation)) {
          if (!request.kinds || request.kinds.has(group.kind)) groups.push(group);
        }
      }
      for (const link of expansion.links) {
        if (request.relations && !request.relations.has(link.relation)) continue;
        const other = direction === 'up' ? link.dst : link.src;
        if (request.kinds && !request.kinds.has(splitNode(other).kind)) continue;
        if (!distance.has(other)) {
          if (distance.size >= request.maxNodes) {
            truncatedReason ??= `node budget of ${request.maxNodes} reached at distance ${level}`;
            continue;
          }
          distance.set(other, level);
          next.push({ node: other, direction });
        }
        links.set(`${link.src}\u0000${link.relation}\u0000${link.dst}`, link);
      }
    }
    frontier = next;
  }
  if (truncatedReason === null && groups.some((group) => group.listed < group.count)) {
    truncatedReason = 'some fan-outs are counted in groups, not listed';
  }
  return {
    nodes: [...distance.entries()].map(([id, d]) => ({
      id,
      kind: splitNode(id).kind,
      distance: d,
    })),
    links: [...links.values()],
    groups,
    truncatedReason,
  };
}
