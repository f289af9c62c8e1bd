import type { NodeKind } from '@tracker/read-model';
import type { Pool } from 'pg';
import { expandNodes, splitNode, type Link } from './lineage-links.sql';
import type { FanOut, FanOutPair, PathQueries } from './lineage-path';

/**
 * Members of one kind a fan-out may have for the search to read them: past this it gives up on
 * a chain through them rather than list them.
 */
const KIND_MEMBERS_CAP = 1_000;

const linkKey = (link: Link) => `${link.src}\u0000${link.relation}\u0000${link.dst}`;

// Edges from rollouts and rewards are their rows' own columns, not stored (see lineage_graph).
const fromRows = (link: Link) => ['rollout', 'reward'].includes(splitNode(link.src).kind);

type Indexed = { pair: FanOutPair; index: number };

/** The queries a path search makes, each batched over a level. */
export function pathQueries(pool: Pool, perNode: number): PathQueries {
  const existing = async (candidates: readonly Link[]) => {
    const stored = candidates.filter((link) => !fromRows(link));
    const derived = candidates.filter(fromRows);
    const found = await Promise.all([
      storedEdges(pool, stored),
      derivedEdges(pool, derived, perNode),
    ]);
    return found.flat();
  };
  const readMembers = membersOfKind(pool);
  const through = async (pairs: readonly FanOutPair[]) => {
    const indexed = pairs.map((pair, index) => ({ pair, index }));
    const stored = indexed.filter(({ pair }) => !pair.down.derived);
    const derived = indexed.filter(({ pair }) => pair.down.derived);
    const found = await Promise.all([
      sharedStoredMembers(pool, stored),
      sharedDerivedMembers(derived, readMembers, existing),
    ]);
    const answered = new Map(found.flatMap((answers) => [...answers]));
    return pairs.map((_, index) => answered.get(index));
  };
  return {
    expand: (nodes, direction) => expandNodes(pool, nodes, direction, perNode),
    existing,
    through,
  };
}

/** Candidates that are stored edges: one primary-key probe each. */
async function storedEdges(pool: Pool, candidates: readonly Link[]): Promise<Link[]> {
  if (candidates.length === 0) return [];
  // LATERAL ... LIMIT 1 keeps it a probe per candidate: a semi-join could hash the whole table.
  const { rows } = await pool.query<Link>(
    `SELECT c.src, c.relation, c.dst
     FROM unnest($1::text[], $2::text[], $3::text[]) AS c(src, relation, dst)
     CROSS JOIN LATERAL (
       SELECT 1 FROM lineage_edges e
       WHERE e.src = c.src AND e.relation = c.relation AND e.dst = c.dst LIMIT 1
     ) found`,
    [
      candidates.map((link) => link.src),
      candidates.map((link) => link.relation),
      candidates.map((link) => link.dst),
    ],
  );
  return rows;
}

/**
 * Candidates from rollouts and rewards, read as an upstream expansion reads them (by primary
 * key), so that their node ids are derived in one place.
 */
async function derivedEdges(
  pool: Pool,
  candidates: readonly Link[],
  perNode: number,
): Promise<Link[]> {
  if (candidates.length === 0) return [];
  const wanted = new Set(candidates.map(linkKey));
  const sources = [...new Set(candidates.map((link) => link.src))];
  const { links } = await expandNodes(pool, sources, 'up', perNode);
  return links.filter((link) => wanted.has(linkKey(link)));
}

/**
 * How to find a member of two stored fan-outs: read the smaller in index order and probe each
 * member in the other by primary key, stopping at the first; or, when they are of a size, read
 * both and intersect (two range scans beat one probe per member). Null when both are past the
 * count cap: the search gives up on that chain rather than read them.
 */
function intersection({ up, down }: FanOutPair): 'up' | 'down' | 'both' | null {
  if (!up.countExact && !down.countExact) return null;
  if (!down.countExact || (up.countExact && up.count * 10 < down.count)) return 'up';
  if (!up.countExact || down.count * 10 < up.count) return 'down';
  return 'both';
}

/** Per pair of stored fan-outs, a member of both (or null); pairs too large are left out. */
async function sharedStoredMembers(
  pool: Pool,
  pairs: readonly Indexed[],
): Promise<Map<number, string | null>> {
  const readable = pairs.flatMap(({ pair, index }) => {
    const read = intersection(pair);
    return read ? [{ pair, index, read }] : [];
  });
  const answers = new Map(readable.map(({ index }): [number, string | null] => [index, null]));
  if (readable.length === 0) return answers;
  // Each branch runs only for its pairs (a one-time filter); LATERAL ... LIMIT 1 keeps the
  // probes by primary key.
  const { rows } = await pool.query<{ index: number; member: string }>(
    `SELECT p.index, m.member
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
          AS p(index, up_node, up_relation, down_node, down_relation, read)
     CROSS JOIN LATERAL (
       (SELECT a.dst AS member FROM lineage_edges a
        CROSS JOIN LATERAL (
          SELECT 1 FROM lineage_edges b
          WHERE b.src = a.dst AND b.relation = p.down_relation AND b.dst = p.down_node LIMIT 1
        ) hit
        WHERE p.read = 'up' AND a.src = p.up_node AND a.relation = p.up_relation
        LIMIT 1)
       UNION ALL
       (SELECT b.src FROM lineage_edges b
        CROSS JOIN LATERAL (
          SELECT 1 FROM lineage_edges a
          WHERE a.src = p.up_node AND a.relation = p.up_relation AND a.dst = b.src LIMIT 1
        ) hit
        WHERE p.read = 'down' AND b.dst = p.down_node AND b.relation = p.down_relation
        LIMIT 1)
       UNION ALL
       (SELECT a.dst FROM lineage_edges a
        WHERE p.read = 'both' AND a.src = p.up_node AND a.relation = p.up_relation
        INTERSECT
        SELECT b.src FROM lineage_edges b
        WHERE p.read = 'both' AND b.dst = p.down_node AND b.relation = p.down_relation
        LIMIT 1)
     ) m`,
    [
      readable.map(({ index }) => index),
      readable.map(({ pair }) => pair.up.node),
      readable.map(({ pair }) => pair.up.relation),
      readable.map(({ pair }) => pair.down.node),
      readable.map(({ pair }) => pair.down.relation),
      readable.map(({ read }) => read),
    ],
  );
  for (const row of rows) answers.set(row.index, row.member);
  return answers;
}

/** Of a stored fan-out upstream, the members of one kind; null when there are too many. */
type MembersOfKind = (
  fanOuts: ReadonlyArray<{ fanOut: FanOut; kind: NodeKind }>,
) => Promise<(fanOut: FanOut, kind: NodeKind) => string[] | null>;

/**
 * Reads members of one kind of stored fan-outs (in index order, up to the count cap), each
 * fan-out and kind once per search: every level pairs it with new fan-outs downstream.
 */
function membersOfKind(pool: Pool): MembersOfKind {
  const known = new Map<string, string[] | null>();
  const keyOf = (fanOut: FanOut, kind: NodeKind) =>
    `${fanOut.node}\u0000${fanOut.relation}\u0000${kind}`;
  return async (wanted) => {
    const missing = new Map(
      wanted
        .filter(({ fanOut, kind }) => !known.has(keyOf(fanOut, kind)))
        .map(({ fanOut, kind }) => [keyOf(fanOut, kind), { fanOut, kind }]),
    );
    if (missing.size > 0) {
      const asked = [...missing.values()];
      const { rows } = await pool.query<{ index: number; members: string[] }>(
        `SELECT p.index, ARRAY(
           SELECT e.dst FROM lineage_edges e
           WHERE e.src = p.node AND e.relation = p.relation AND starts_with(e.dst, p.prefix)
           LIMIT $5) AS members
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])
              AS p(index, node, relation, prefix)`,
        [
          asked.map((_, index) => index),
          asked.map(({ fanOut }) => fanOut.node),
          asked.map(({ fanOut }) => fanOut.relation),
          asked.map(({ kind }) => `${kind}:`),
          KIND_MEMBERS_CAP + 1,
        ],
      );
      for (const { index, members } of rows) {
        const { fanOut, kind } = asked[index];
        known.set(keyOf(fanOut, kind), members.length > KIND_MEMBERS_CAP ? null : members);
      }
    }
    return (fanOut, kind) => known.get(keyOf(fanOut, kind)) ?? null;
  };
}

/**
 * Per pair of a stored fan-out upstream and rollouts or rewards downstream: the stored one's
 * members of that kind, probed as edges to the other's node. Left out when the stored one is
 * past the count cap or has too many members of that kind.
 */
async function sharedDerivedMembers(
  pairs: readonly Indexed[],
  readMembers: MembersOfKind,
  existing: (candidates: readonly Link[]) => Promise<Link[]>,
): Promise<Map<number, string | null>> {
  const readable = pairs.filter(({ pair }) => pair.up.countExact);
  const answers = new Map<number, string | null>();
  if (readable.length === 0) return answers;
  const members = await readMembers(
    readable.map(({ pair }) => ({ fanOut: pair.up, kind: pair.down.kind })),
  );
  const candidates: Array<{ link: Link; index: number }> = [];
  for (const { pair, index } of readable) {
    const ofKind = members(pair.up, pair.down.kind);
    if (!ofKind) continue;
    answers.set(index, null);
    for (const member of ofKind) {
      candidates.push({
        link: { src: member, relation: pair.down.relation, dst: pair.down.node },
        index,
      });
    }
  }
  if (candidates.length === 0) return answers;
  const found = new Set((await existing(candidates.map(({ link }) => link))).map(linkKey));
  for (const { link, index } of candidates) {
    if (found.has(linkKey(link))) answers.set(index, link.src);
  }
  return answers;
}
