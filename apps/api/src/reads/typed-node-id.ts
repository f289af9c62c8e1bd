import { decodeVerifierId, NODE_KINDS, type NodeKind } from '@tracker/read-model';
import { ApiError } from '../graphql/api-error';

/**
 * A typed node id (`KIND:ID`, what lineage answers, audit trails and `node(id)` use) taken
 * apart; a dataset version's ID is `DATASET@VERSION`, a verifier's `NAME@VERSION` (with "%"
 * and "@" in NAME escaped as %25 and %40, see `verifierNode`).
 */
export type TypedNodeId =
  | { kind: Exclude<NodeKind, 'dataset_version' | 'verifier'>; id: string }
  | { kind: 'dataset_version'; id: string; datasetId: string; version: number }
  | { kind: 'verifier'; id: string; name: string; version: string };

const MAX_VERSION = 2_147_483_647;
const isNodeKind = (kind: string): kind is NodeKind =>
  (NODE_KINDS as readonly string[]).includes(kind);

/** Parses `text` as a typed node id; a BAD_USER_INPUT ApiError names the part that is wrong. */
export function parseTypedNodeId(text: string, argument = 'id'): TypedNodeId {
  const bad = (problem: string) =>
    new ApiError('BAD_USER_INPUT', `${argument}: ${JSON.stringify(text)} ${problem}`);
  const colon = text.indexOf(':');
  if (colon <= 0)
    throw bad(
      'is not a typed node id KIND:ID (e.g. "tool:tool-1" or "dataset_version:sft-core@3")',
    );
  const kind = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (!isNodeKind(kind))
    throw bad(`has an unknown kind ${JSON.stringify(kind)}; kinds: ${NODE_KINDS.join(', ')}`);
  if (id === '') throw bad(`has an empty ID after "${kind}:"`);
  if (kind === 'verifier') {
    const decoded = decodeVerifierId(id);
    if ('problem' in decoded) throw bad(decoded.problem);
    return { kind, id, ...decoded };
  }
  if (kind !== 'dataset_version') return { kind, id };
  // Dataset ids may hold "@" themselves: the version follows the last one.
  const at = id.lastIndexOf('@');
  if (at <= 0)
    throw bad(
      'does not name a version: dataset versions are dataset_version:DATASET@VERSION (e.g. "dataset_version:sft-core@3")',
    );
  const versionText = id.slice(at + 1);
  const version = Number(versionText);
  if (!/^\d+$/.test(versionText) || version < 1 || version > MAX_VERSION)
    throw bad(
      `has version ${JSON.stringify(versionText)}, not an integer from 1 to ${MAX_VERSION}`,
    );
  return { kind, id, datasetId: id.slice(0, at), version };
}
