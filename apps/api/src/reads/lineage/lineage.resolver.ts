import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { TrackerConfig } from '@tracker/config';
import { TRACKER_CONFIG } from '@tracker/platform';
import { NODE_KINDS, RELATIONS } from '@tracker/read-model';
import { visibleExpansions } from '../../access/visible-lineage';
import { ApiError } from '../../graphql/api-error';
import type { GraphQLContext, Loaders } from '../../graphql/loaders';
import type { Caller } from '../../access/caller';
import { parseTypedNodeId } from '../typed-node-id';
import { loadEntity, LineageEntity } from './lineage-entity';
import { expandNodes, type WalkDirection } from './lineage-links.sql';
import { findPath } from './lineage-path';
import { pathQueries } from './lineage-path.sql';
import type { PathQueries } from './lineage-path';
import { timeBudget, walkLineage } from './lineage-walk';
import { LineageDirection, LineageGraph, LineageNode, LineagePath } from './lineage.model';

const MAX_DEPTH = 20;
const MAX_NODES = 5_000;
/** Neighbours listed per node and relation before the rest is only counted. */
const LISTED_PER_NODE = 100;
const PATH_NODE_BUDGET = 20_000;

const toDirection = (direction: WalkDirection) =>
  direction === 'up' ? LineageDirection.UPSTREAM : LineageDirection.DOWNSTREAM;

function checkedRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `${name}: must be an integer from ${min} to ${max} (got ${value})`,
    );
  }
  return value;
}

function checkedNames(name: string, values: string[] | undefined, known: readonly string[]) {
  if (!values) return undefined;
  const unknown = values.filter((value) => !known.includes(value));
  if (unknown.length > 0) {
    throw new ApiError(
      'BAD_USER_INPUT',
      `${name}: unknown ${unknown.map((value) => JSON.stringify(value)).join(', ')}; known: ${known.join(', ')}`,
    );
  }
  return new Set(values);
}

@Resolver(() => LineageNode)
export class LineageResolver {
  constructor(@Inject(TRACKER_CONFIG) private readonly config: TrackerConfig) {}

  @Query(() => LineageGraph, {
    description:
      'The subgraph reachable from a node, breadth-first: each node once at its shortest distance (cycle-safe), bounded by `depth`, by the node budget `first` and by the time budget LINEAGE_TIMEOUT_MS (the answer then says it is truncated, and why). Fan-outs beyond 100 per node and relation, and rollouts of tasks and checkpoints or rewards of verifiers and critic versions, come as counted groups.',
  })
  async lineage(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders, caller }: GraphQLContext,
    @Args('direction', { type: () => LineageDirection, defaultValue: LineageDirection.UPSTREAM })
    direction: LineageDirection,
    @Args('depth', { type: () => Int, defaultValue: 3 }) depth: number,
    @Args('relations', { type: () => [String], nullable: true }) relations?: string[],
    @Args('kinds', { type: () => [String], nullable: true }) kinds?: string[],
    @Args('first', {
      type: () => Int,
      defaultValue: 200,
      description: 'Node budget, root included.',
    })
    first?: number,
  ): Promise<LineageGraph> {
    const root = parseTypedNodeId(id);
    const maxNodes = checkedRange('first', first ?? 200, 1, MAX_NODES);
    const result = await walkLineage(
      {
        root: `${root.kind}:${root.id}`,
        directions:
          direction === LineageDirection.BOTH
            ? ['up', 'down']
            : [direction === LineageDirection.UPSTREAM ? 'up' : 'down'],
        depth: checkedRange('depth', depth, 1, MAX_DEPTH),
        relations: checkedNames('relations', relations, RELATIONS),
        kinds: checkedNames('kinds', kinds, NODE_KINDS),
        maxNodes,
        perNode: Math.min(LISTED_PER_NODE, maxNodes),
        timeBudget: timeBudget(this.config.lineageTimeoutMs),
      },
      visibleExpansions(caller, loaders, (nodes, way) =>
        expandNodes(loaders.pool, nodes, way, Math.min(LISTED_PER_NODE, maxNodes)),
      ),
    );
    return {
      root: id,
      nodes: result.nodes.sort((a, b) => a.distance - b.distance),
      edges: result.links,
      groups: result.groups.map((group) => ({ ...group, direction: toDirection(group.direction) })),
      truncated: result.truncatedReason !== null,
      truncatedReason: result.truncatedReason,
    };
  }

  @Query(() => LineagePath, {
    nullable: true,
    description:
      'The shortest chain of lineage edges from one node to another (upstream first, then downstream), searched from both ends, through fan-outs of any size. Null when there is none within `maxDepth`. When the search cannot tell (its node budget, its time budget LINEAGE_TIMEOUT_MS, or chains through fan-outs too large to list), a LIMIT_EXCEEDED error instead of null, and a chain found then has `complete: false`.',
  })
  async lineagePath(
    @Args('from', { type: () => ID }) from: string,
    @Args('to', { type: () => ID }) to: string,
    @Context() { loaders, caller }: GraphQLContext,
    @Args('maxDepth', { type: () => Int, defaultValue: 12 }) maxDepth: number,
  ): Promise<LineagePath | null> {
    parseTypedNodeId(from, 'from');
    parseTypedNodeId(to, 'to');
    const depth = checkedRange('maxDepth', maxDepth, 1, MAX_DEPTH);
    const answer = await findPath(
      {
        from,
        to,
        maxDepth: depth,
        maxNodes: PATH_NODE_BUDGET,
        timeBudget: timeBudget(this.config.lineageTimeoutMs),
      },
      visiblePathQueries(caller, loaders, pathQueries(loaders.pool, LISTED_PER_NODE)),
    );
    const { path, complete, incompleteReason, searchedNodes } = answer;
    if (path) {
      const direction = toDirection(path.direction);
      return { direction, edges: path.links, complete, incompleteReason, searchedNodes };
    }
    if (complete) return null;
    // Null would claim there is no chain: say how far the search got instead.
    throw new ApiError(
      'LIMIT_EXCEEDED',
      `lineagePath: no chain of up to ${answer.noneUpTo} edges either way, but the search stopped short of maxDepth ${depth}: ${incompleteReason}`,
    );
  }

  @Query(() => LineageEntity, {
    nullable: true,
    description: 'The entity behind a lineage node id (KIND:ID), null when not recorded.',
  })
  node(
    @Args('id', { type: () => ID }) id: string,
    @Context() { loaders }: GraphQLContext,
  ): Promise<object | null> {
    return loadEntity(loaders, parseTypedNodeId(id));
  }

  @ResolveField(() => LineageEntity, {
    nullable: true,
    description: 'The entity, null when the node is only known from edges pointing at it.',
  })
  entity(
    @Parent() node: LineageNode,
    @Context() { loaders }: GraphQLContext,
  ): Promise<object | null> {
    return loadEntity(loaders, parseTypedNodeId(node.id));
  }
}

/** A path search that, for a restricted caller, goes through visible nodes only. */
function visiblePathQueries(caller: Caller, loaders: Loaders, queries: PathQueries): PathQueries {
  return { ...queries, expand: visibleExpansions(caller, loaders, queries.expand) };
}
