/**
 * Global, typed node ids (`KIND:ID`) used by lineage edges and the GraphQL `node(id)` query.
 * Dataset versions are identified by `DATASET@VERSION`, verifier versions by `NAME@VERSION`
 * (see {@link verifierNode}).
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

/**
 * A verifier version's ID, `NAME@VERSION` with "%" and "@" in NAME written %25 and %40: names
 * and versions may both hold "@", and this way the first "@" ends the name, so two versions
 * never share an id. The SQL function `verifier_node` builds the same text (with `verifier:`).
 */
export const encodeVerifierId = (name: string, version: string) =>
  `${name.replace(/[%@]/g, (char) => (char === '%' ? '%25' : '%40'))}@${version}`;

/** The node id of a verifier version: `verifier:` and {@link encodeVerifierId}. */
export const verifierNode = (name: string, version: string) =>
  nodeId('verifier', encodeVerifierId(name, version));

/** A verifier node's ID (the text after `verifier:`) taken apart, or what is wrong with it. */
export type DecodedVerifierId =
  { readonly name: string; readonly version: string } | { readonly problem: string };

/** Inverse of {@link encodeVerifierId}: split at the first "@", escapes in the name undone. */
export function decodeVerifierId(id: string): DecodedVerifierId {
  const at = id.indexOf('@');
  if (at < 0 || at === id.length - 1)
    return {
      problem:
        'does not name a version: verifiers are verifier:NAME@VERSION (e.g. "verifier:math@1.3")',
    };
  if (at === 0) return { problem: 'has an empty verifier name before "@"' };
  const escaped = id.slice(0, at);
  // Only the two escapes the encoder writes: any other "%" would give a second id for a name.
  const malformed = /%(?!25|40)/.exec(escaped);
  if (malformed)
    return {
      problem: `has a malformed escape ${JSON.stringify(escaped.slice(malformed.index, malformed.index + 3))} in the verifier name: only %25 ("%") and %40 ("@") are allowed`,
    };
  return {
    name: escaped.replace(/%(25|40)/g, (_, code: string) => (code === '25' ? '%' : '@')),
    version: id.slice(at + 1),
  };
}

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
