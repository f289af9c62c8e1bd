import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum LineageDirection {
  UPSTREAM = 'UPSTREAM',
  DOWNSTREAM = 'DOWNSTREAM',
  BOTH = 'BOTH',
}
registerEnumType(LineageDirection, {
  name: 'LineageDirection',
  description:
    'UPSTREAM: what a node came from (its edges outwards); DOWNSTREAM: what came from it; BOTH.',
});

@ObjectType({ description: 'A node of a lineage answer: a typed global id (KIND:ID).' })
export class LineageNode {
  @Field(() => ID, {
    description:
      'KIND:ID, e.g. reward:r-1, verifier:math@1.3, dataset_version:sft@3. A verifier is verifier:NAME@VERSION with "%" and "@" in NAME written %25 and %40 (verifier:a%40b@c is name a@b, version c).',
  })
  id!: string;

  @Field({
    description:
      'tool, agent, task, synthesis_run, trajectory, dataset_version, rl_run, checkpoint, rollout, reward, comparison, critic_version, verifier, evaluation',
  })
  kind!: string;

  @Field(() => Int, { description: 'Edges from the root on the shortest walk found.' })
  distance!: number;
}

@ObjectType({
  description:
    'A lineage edge: `src` was made from or with `dst` (relation names of the contract).',
})
export class LineageEdge {
  @Field(() => ID)
  src!: string;

  @Field()
  relation!: string;

  @Field(() => ID)
  dst!: string;
}

@ObjectType({
  description:
    'Neighbours of one node over one relation that are counted rather than listed (a run of 800,000 rollouts, the rewards of a verifier): per RL run where the tracker keeps them so.',
})
export class LineageGroup {
  @Field(() => ID, { description: 'The node they are linked to.' })
  node!: string;

  @Field()
  relation!: string;

  @Field(() => LineageDirection)
  direction!: LineageDirection;

  @Field({ description: 'Kind of the counted nodes.' })
  kind!: string;

  @Field(() => ID, { nullable: true })
  rlRunId!: string | null;

  @Field(() => Int)
  count!: number;

  @Field({ description: 'False when counting stopped at 100,000.' })
  countExact!: boolean;

  @Field(() => Int, { nullable: true })
  firstStep!: number | null;

  @Field(() => Int, { nullable: true })
  lastStep!: number | null;

  @Field(() => Int, { description: 'How many of them are listed in `nodes`.' })
  listed!: number;
}

@ObjectType({ description: 'The subgraph reachable from a node.' })
export class LineageGraph {
  @Field(() => ID)
  root!: string;

  @Field(() => [LineageNode], { description: 'The root first, then by distance.' })
  nodes!: LineageNode[];

  @Field(() => [LineageEdge])
  edges!: LineageEdge[];

  @Field(() => [LineageGroup])
  groups!: LineageGroup[];

  @Field({ description: 'Whether nodes were left out (node budget, or fan-outs only counted).' })
  truncated!: boolean;

  @Field(() => String, { nullable: true })
  truncatedReason!: string | null;
}

@ObjectType({ description: 'The shortest chain of lineage edges between two nodes.' })
export class LineagePath {
  @Field(() => LineageDirection, {
    description: 'UPSTREAM: `to` is something `from` came from; DOWNSTREAM: the reverse.',
  })
  direction!: LineageDirection;

  @Field(() => [LineageEdge], { description: 'In order from `from` to `to`.' })
  edges!: LineageEdge[];

  @Field({
    description:
      'True when the search was exhaustive, so this is a shortest chain within maxDepth. False when it stopped early (node budget, or chains through fan-outs too large to list): a real chain, not proven the shortest.',
  })
  complete!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the chain is not proven the shortest.' })
  incompleteReason!: string | null;

  @Field(() => Int, { description: 'Nodes the search visited, from both ends and both ways.' })
  searchedNodes!: number;
}
