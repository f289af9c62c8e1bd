import type { NodeKind, Relation } from '@tracker/read-model';
import { splitNode, type Link, type LinkGroup, type WalkDirection } from './lineage-links.sql';
import { outOfTime, outOfTimeReason, type Expand, type TimeBudget } from './lineage-walk';

export interface PathRequest {
  readonly from: string;
  readonly to: string;
  readonly maxDepth: number;
  /** Nodes each search (upstream, then downstream) may visit before it gives up. */
  readonly maxNodes: number;
  /** Both searches together give up when it runs out (LINEAGE_TIMEOUT_MS). */
  readonly timeBudget?: TimeBudget;
}

export interface FoundPath {
  /** `up`: `to` is something `from` came from; `down`: `from` is something `to` came from. */
  readonly direction: WalkDirection;
  /** The edges in order from `from` to `to`. */
  readonly links: Link[];
}

export interface PathAnswer {
  readonly path: FoundPath | null;
  /** The search was exhaustive: `path` is a shortest chain within maxDepth, or there is none. */
  readonly complete: boolean;
  /** Why it is not complete. */
  readonly incompleteReason: string | null;
  /** No chain of up to this many edges exists either way (maxDepth when complete). */
  readonly noneUpTo: number;
  readonly searchedNodes: number;
}

/** Neighbours of one node over one relation that were counted, not all listed. */
export interface FanOut {
  readonly node: string;
  readonly relation: Relation;
  readonly direction: WalkDirection;
  readonly kind: NodeKind;
  /** Rollouts or rewards read from their rows: only that kind, and not stored edges. */
  readonly derived: boolean;
  readonly count: number;
  readonly countExact: boolean;
  readonly distance: number;
}

export interface FanOutPair {
  /** A fan-out met searching upstream: `up.node -up.relation-> member`. */
  readonly up: FanOut;
  /** One met searching downstream: `member -down.relation-> down.node`. */
  readonly down: FanOut;
}

export interface PathQueries {
  readonly expand: Expand;
  /** Those of the candidates that are lineage edges. */
  existing(candidates: readonly Link[]): Promise<Link[]>;
  /**
   * Per pair, a member of both fan-outs: null when there is none, undefined when finding out
   * would read too much.
   */
  through(pairs: readonly FanOutPair[]): Promise<Array<string | null | undefined>>;
}

/**
 * The shortest chain of lineage edges between `from` and `to`: one going upstream from `from`
 * (what it came from) if there is one, else one going upstream from `to`. Each is searched from
 * both ends (see PathSearch); `complete` says whether the answer is proven.
 */
export async function findPath(request: PathRequest, queries: PathQueries): Promise<PathAnswer> {
  if (request.from === request.to) {
    const path: FoundPath = { direction: 'up', links: [] };
    return { path, complete: true, incompleteReason: null, noneUpTo: 0, searchedNodes: 1 };
  }
  const upward = await new PathSearch(request.from, request.to, request, queries).run();
  if (upward.links) {
    return {
      path: { direction: 'up', links: upward.links },
      complete: upward.gaveUp === null,
      incompleteReason: upward.gaveUp,
      noneUpTo: upward.noneUpTo,
      searchedNodes: upward.visited,
    };
  }
  // A chain downstream is one upstream from `to`, read backwards.
  const downward = await new PathSearch(request.to, request.from, request, queries).run();
  const gaveUp = upward.gaveUp ?? downward.gaveUp;
  return {
    path: downward.links && { direction: 'down', links: downward.links.reverse() },
    complete: gaveUp === null,
    incompleteReason: gaveUp,
    noneUpTo: Math.min(upward.noneUpTo, downward.noneUpTo),
    searchedNodes: upward.visited + downward.visited,
  };
}

interface SearchResult {
  readonly links: Link[] | null;
  readonly gaveUp: string | null;
  readonly noneUpTo: number;
  readonly visited: number;
}

/** Where the two ends met: `upNode` seen from the start, `downNode` from the goal. */
interface Meeting {
  readonly upNode: string;
  readonly middle: Link[];
  readonly downNode: string;
  readonly length: number;
}

const linkKey = (link: Link) => `${link.src}\u0000${link.relation}\u0000${link.dst}`;

function describeFanOut(fanOut: FanOut): string {
  const members = `${fanOut.count}${fanOut.countExact ? '' : '+'} ${fanOut.kind}`;
  return fanOut.direction === 'up'
    ? `${fanOut.node} -${fanOut.relation}-> ${members}`
    : `${members} -${fanOut.relation}-> ${fanOut.node}`;
}

/** One end of a search: the nodes it reached, each by the link it was first reached over. */
class Side {
  readonly distance = new Map<string, number>();
  readonly via = new Map<string, Link>();
  readonly fanOuts: FanOut[] = [];
  frontier: string[];
  levels = 0;
  /** Distance up to which it saw everything before the node budget ran out. */
  budgetRadius = Infinity;

  constructor(
    root: string,
    readonly direction: WalkDirection,
  ) {
    this.distance.set(root, 0);
    this.frontier = [root];
  }

  /** The node a link leads to from this side, and the one it leads from. */
  far = (link: Link) => (this.direction === 'up' ? link.dst : link.src);
  near = (link: Link) => (this.direction === 'up' ? link.src : link.dst);

  /**
   * Every node within this distance is known: reached, or a member of a fan-out reached. Past
   * the first fan-out, chains through its unlisted members are not followed.
   */
  radius(): number {
    const firstFanOut = Math.min(...this.fanOuts.map((fanOut) => fanOut.distance));
    if (this.frontier.length === 0) return Math.min(firstFanOut + 1, this.budgetRadius);
    return Math.min(this.levels, firstFanOut + 1, this.budgetRadius);
  }

  /** Whether expanding it widens its radius. */
  growing(): boolean {
    return this.frontier.length > 0 && this.fanOuts.length === 0 && this.budgetRadius === Infinity;
  }

  /** Notes a group as a fan-out of this side; null when it is one already (another run's). */
  open(group: LinkGroup): FanOut | null {
    const { node, relation, kind } = group;
    const known = this.fanOuts.some(
      (fanOut) => fanOut.node === node && fanOut.relation === relation && fanOut.kind === kind,
    );
    if (known) return null;
    const fanOut: FanOut = {
      node,
      relation,
      direction: group.direction,
      kind,
      // Stored edges never start at a rollout or reward: such members come from the rows.
      derived: group.direction === 'down' && (kind === 'rollout' || kind === 'reward'),
      count: group.count,
      countExact: group.countExact,
      distance: this.distance.get(node)!,
    };
    this.fanOuts.push(fanOut);
    return fanOut;
  }

  /** Links from the root to `node` (upstream side) or from `node` to the root, in path order. */
  chain(node: string): Link[] {
    const links: Link[] = [];
    for (let link = this.via.get(node); link; link = this.via.get(this.near(link))) {
      if (this.direction === 'up') links.unshift(link);
      else links.push(link);
    }
    return links;
  }
}

/**
 * Bidirectional breadth-first search for the shortest chain start -> ... -> goal: upstream from
 * the start, downstream from the goal, expanding the side that widens what is known, the
 * smaller frontier first, one batched expansion per level. Fan-outs larger than an expansion
 * lists (a version's 50,000 members, a run's rollouts) are not listed but probed, once per
 * level and in one batch: does the fan-out's node link to a node the other side has seen, and
 * do a fan-out of each side share a member. Any chain of up to radius(up) + radius(down) edges
 * then meets, so the shortest found is proven when it is at most one longer than that; past it
 * the search keeps looking but says the answer is not proven.
 */
class PathSearch {
  private readonly up: Side;
  private readonly down: Side;
  private best: Meeting | null = null;
  /** Lengths of chains through two fan-outs that could not be checked. */
  private readonly unchecked: number[] = [];
  private readonly probed = new Set<string>();
  private budgetReached = false;

  constructor(
    start: string,
    goal: string,
    private readonly request: PathRequest,
    private readonly queries: PathQueries,
  ) {
    this.up = new Side(start, 'up');
    this.down = new Side(goal, 'down');
  }

  private get visited(): number {
    return this.up.distance.size + this.down.distance.size;
  }

  async run(): Promise<SearchResult> {
    const { maxDepth } = this.request;
    for (;;) {
      const seen = this.up.radius() + this.down.radius();
      const hidden = Math.min(...this.unchecked);
      const best = this.best;
      if (best && best.length <= seen + 1 && best.length <= hidden) return this.result(null, 0);
      const noneUpTo = Math.max(0, Math.min(seen, hidden - 1, maxDepth));
      if (!best && noneUpTo === maxDepth) return this.result(null, maxDepth);
      if (outOfTime(this.request.timeBudget)) {
        return this.result(outOfTimeReason(this.request.timeBudget!), noneUpTo);
      }
      const side = this.nextSide();
      if (!side) return this.result(this.gaveUpReason(), noneUpTo);
      const { added, opened } = await this.expand(side);
      await this.probe(side, added, opened);
    }
  }

  private result(gaveUp: string | null, noneUpTo: number): SearchResult {
    const best = this.best;
    const links = best && [
      ...this.up.chain(best.upNode),
      ...best.middle,
      ...this.down.chain(best.downNode),
    ];
    return { links, gaveUp, noneUpTo, visited: this.visited };
  }

  /** Meetings must be shorter than this to matter. */
  private get limit(): number {
    return this.best ? this.best.length : this.request.maxDepth + 1;
  }

  private meet(meeting: Meeting): void {
    if (meeting.length < this.limit) this.best = meeting;
  }

  /**
   * The side to expand: one whose radius still grows, else (to find some chain, unproven) one
   * past a fan-out; the smaller frontier first. Expanding a side finds only chains longer than
   * its levels, and all of them within the levels of both.
   */
  private nextSide(): Side | null {
    const { up, down } = this;
    if (this.budgetReached || up.levels + down.levels >= this.request.maxDepth) return null;
    const open = [up, down].filter(
      (side) => side.frontier.length > 0 && side.levels + 1 < this.limit,
    );
    const growing = open.filter((side) => side.growing());
    const choices = growing.length > 0 ? growing : open;
    return choices.sort((a, b) => a.frontier.length - b.frontier.length)[0] ?? null;
  }

  private async expand(side: Side): Promise<{ added: string[]; opened: FanOut[] }> {
    const other = side === this.up ? this.down : this.up;
    const { links, groups } = await this.queries.expand(side.frontier, side.direction);
    const added: string[] = [];
    for (const link of links) {
      const node = side.far(link);
      if (side.distance.has(node)) continue;
      if (this.visited >= this.request.maxNodes) {
        // Its frontier was expanded only in part (and no level follows): it saw up to there.
        side.budgetRadius = Math.min(side.budgetRadius, side.levels);
        this.budgetReached = true;
        continue;
      }
      side.distance.set(node, side.levels + 1);
      side.via.set(node, link);
      added.push(node);
      const there = other.distance.get(node);
      if (there !== undefined) {
        this.meet({ upNode: node, middle: [], downNode: node, length: side.levels + 1 + there });
      }
    }
    const opened = groups
      .filter((group) => group.count > group.listed)
      .flatMap((group) => side.open(group) ?? []);
    side.frontier = added;
    side.levels += 1;
    return { added, opened };
  }

  /**
   * Checks what the fan-outs hide: new fan-outs of `side` against the other side's frontier,
   * the other side's fan-outs against the nodes `side` just reached, and new pairs of fan-outs.
   * A node the other side expanded before a fan-out opened needs no probe: it listed the
   * fan-out's node, or it opened a fan-out itself, probed then against this side's frontier
   * (which held the node) or later against the node when it was reached.
   */
  private async probe(side: Side, added: string[], opened: FanOut[]): Promise<void> {
    const other = side === this.up ? this.down : this.up;
    const limit = this.limit;
    const candidates = new Map<string, Meeting>();
    const consider = (fanOut: FanOut, node: string, nodeSide: Side) => {
      const key = `${fanOut.node}\u0000${fanOut.relation}\u0000${fanOut.kind}\u0000${node}`;
      if (this.probed.has(key)) return;
      if (fanOut.derived && splitNode(node).kind !== fanOut.kind) return;
      const length = fanOut.distance + 1 + nodeSide.distance.get(node)!;
      if (length >= limit) return;
      this.probed.add(key);
      const meeting: Meeting =
        fanOut.direction === 'up'
          ? {
              upNode: fanOut.node,
              middle: [{ src: fanOut.node, relation: fanOut.relation, dst: node }],
              downNode: node,
              length,
            }
          : {
              upNode: node,
              middle: [{ src: node, relation: fanOut.relation, dst: fanOut.node }],
              downNode: fanOut.node,
              length,
            };
      const known = candidates.get(linkKey(meeting.middle[0]));
      if (!known || known.length > length) candidates.set(linkKey(meeting.middle[0]), meeting);
    };
    for (const fanOut of opened) {
      for (const node of other.frontier) consider(fanOut, node, other);
    }
    for (const fanOut of other.fanOuts) {
      for (const node of added) consider(fanOut, node, side);
    }
    const pairs = opened
      .flatMap((fanOut) =>
        other.fanOuts.map((theirs): FanOutPair =>
          side === this.up ? { up: fanOut, down: theirs } : { up: theirs, down: fanOut },
        ),
      )
      .filter((pair) => pair.up.distance + pair.down.distance + 2 < limit);
    const [existing, middles] = await Promise.all([
      candidates.size > 0
        ? this.queries.existing([...candidates.values()].map((m) => m.middle[0]))
        : [],
      pairs.length > 0 ? this.queries.through(pairs) : [],
    ]);
    for (const link of existing) this.meet(candidates.get(linkKey(link))!);
    middles.forEach((member, index) => {
      const { up, down } = pairs[index];
      const length = up.distance + down.distance + 2;
      if (member === undefined) this.unchecked.push(length);
      else if (member !== null) {
        const middle: Link[] = [
          { src: up.node, relation: up.relation, dst: member },
          { src: member, relation: down.relation, dst: down.node },
        ];
        this.meet({ upNode: up.node, middle, downNode: down.node, length });
      }
    });
  }

  private gaveUpReason(): string {
    if (this.budgetReached) return `node budget of ${this.request.maxNodes} reached`;
    const fanOuts = [...this.up.fanOuts, ...this.down.fanOuts].map(describeFanOut);
    const more = fanOuts.length > 3 ? ` and ${fanOuts.length - 3} more` : '';
    return `chains through members of fan-outs too large to list were not followed: ${fanOuts.slice(0, 3).join('; ')}${more}`;
  }
}
