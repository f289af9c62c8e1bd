import type { Link, WalkDirection } from './lineage-links.sql';
import type { Expand } from './lineage-walk';

export interface PathRequest {
  readonly from: string;
  readonly to: string;
  readonly maxDepth: number;
  /** Nodes the search may visit before it gives up. */
  readonly maxNodes: number;
}

export interface FoundPath {
  /** `up`: `to` is something `from` came from; `down`: `from` is something `to` came from. */
  readonly direction: WalkDirection;
  /** The edges in order from `from` to `to`. */
  readonly links: Link[];
}

/**
 * The shortest chain of lineage edges between `from` and `to`: searched upstream from `from`
 * (what it came from), then upstream from `to` (the same edges read the other way: a downstream
 * chain). Upstream fan-outs are small, where downstream ones (a task's rollouts) are counted,
 * not listed. Breadth-first, one batched expansion per level; null when there is none within
 * `maxDepth` or the node budget.
 */
export async function findPath(request: PathRequest, expand: Expand): Promise<FoundPath | null> {
  if (request.from === request.to) return { direction: 'up', links: [] };
  const upstream = await searchUp(request.from, request.to, request, expand);
  if (upstream) return { direction: 'up', links: upstream };
  const reversed = await searchUp(request.to, request.from, request, expand);
  return reversed ? { direction: 'down', links: reversed.reverse() } : null;
}

async function searchUp(
  start: string,
  goal: string,
  { maxDepth, maxNodes }: PathRequest,
  expand: Expand,
): Promise<Link[] | null> {
  const parent = new Map<string, Link | null>([[start, null]]);
  let frontier = [start];
  for (let level = 1; level <= maxDepth && frontier.length > 0; level++) {
    const next: string[] = [];
    const { links } = await expand(frontier, 'up');
    for (const link of links) {
      if (parent.has(link.dst) || parent.size >= maxNodes) continue;
      parent.set(link.dst, link);
      if (link.dst === goal) return chain(parent, goal);
      next.push(link.dst);
    }
    frontier = next;
  }
  return null;
}

/** The links from the start to `end`, following parents back. */
function chain(parent: Map<string, Link | null>, end: string): Link[] {
  const links: Link[] = [];
  for (let link = parent.get(end); link; link = parent.get(link.src)) links.unshift(link);
  return links;
}
