/**
 * Global, typed node ids (`KIND:ID`) used by lineage edges and the GraphQL `node(id)` query.
 * Dataset versions and verifier versions are identified by `ID@VERSION`.
 */
export const NODE_KINDS = [
  'tool',
  'agent',
  'task',
  'synthesis_run',
  'trajectory',
  'dataset_version',
  'rl_run',
  'checkpoint',
  'rollout',
  'reward',
  'comparison',
  'critic_version',
  'verifier',
  'evaluation',
] as const;

export type NodeKind = (typeof NODE_KINDS)[number];

export function nodeId(kind: NodeKind, id: string): string {
  return `${kind}:${id}`;
}

export const datasetVersionNode = (datasetId: string, version: number) =>
  nodeId('dataset_version', `${datasetId}@${version}`);

export const verifierNode = (name: string, version: string) =>
  nodeId('verifier', `${name}@${version}`);

/** Relation names of the contract's lineage edges (src -relation-> dst). */
export const RELATIONS = [
  'evolved_from',
  'uses',
  'for',
  'of',
  'by',
  'in',
  'calls',
  'contains',
  'trains_on',
  'starts_from',
  'parent',
  'continues',
  'judges',
  'updated_in',
  'evaluates',
] as const;

export type Relation = (typeof RELATIONS)[number];

export interface Edge {
  readonly src: string;
  readonly relation: Relation;
  readonly dst: string;
}
