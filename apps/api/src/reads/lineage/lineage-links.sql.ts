import {
  decodeVerifierId,
  RELATIONS,
  verifierNode,
  type NodeKind,
  type Relation,
} from '@tracker/read-model';
import type { Pool } from 'pg';

/** Which way a walk goes: `up` follows edges from a node (what it came from), `down` to it. */
export type WalkDirection = 'up' | 'down';

/** One lineage edge: `src` was made from or with `dst`. */
export interface Link {
  readonly src: string;
  readonly relation: Relation;
  readonly dst: string;
}

/**
 * Neighbours of one node over one relation, too many to list (a run's rollouts, a verifier's
 * rewards): counted, per RL run where that is how they are kept, and listed only in part.
 */
export interface LinkGroup {
  readonly node: string;
  readonly relation: Relation;
  readonly direction: WalkDirection;
  /** Kind of the neighbours. */
  readonly kind: NodeKind;
  readonly rlRunId: string | null;
  readonly count: number;
  /** False when the count stopped at {@link COUNT_CAP}. */
  readonly countExact: boolean;
  readonly firstStep: number | null;
  readonly lastStep: number | null;
  /** How many of them are listed as links (the rest are only counted). */
  readonly listed: number;
}

export interface Expansion {
  readonly links: Link[];
  readonly groups: LinkGroup[];
}

/** Counts of listed fan-outs stop here: a lineage answer never scans a million rows to count. */
export const COUNT_CAP = 100_000;

/** `KIND:ID` split at the first colon. */
export function splitNode(node: string): { kind: string; id: string } {
  const colon = node.indexOf(':');
  return { kind: node.slice(0, colon), id: node.slice(colon + 1) };
}

const idsOf = (nodes: readonly string[], kind: NodeKind) =>
  nodes.filter((node) => splitNode(node).kind === kind).map((node) => splitNode(node).id);

/**
 * Stored edges at `nodes` (as src going up, as dst going down): up to `perNode` per node and
 * relation, in index order (one probe of the index per pair, never a sort of a 50,000-member
 * fan-out), and for the pairs that have more, their count (capped at {@link COUNT_CAP}).
 */
async function storedLinks(
  pool: Pool,
  nodes: readonly string[],
  direction: WalkDirection,
  perNode: number,
): Promise<Expansion> {
  const [near, far] = direction === 'up' ? ['src', 'dst'] : ['dst', 'src'];
  const { rows } = await pool.query<{ node: string; relation: Relation; other: string }>(
    `SELECT n.node, r.relation, e.other
     FROM unnest($1::text[]) AS n(node)
     CROSS JOIN unnest($2::text[]) AS r(relation)
     CROSS JOIN LATERAL (
       SELECT e.${far} AS other FROM lineage_edges e
       WHERE e.${near} = n.node AND e.relation = r.relation
       ORDER BY e.${far} LIMIT $3
     ) e`,
    [nodes, RELATIONS, perNode + 1],
  );
  const links: Link[] = [];
  const listed = new Map<string, number>();
  for (const row of rows) {
    const pair = `${row.node}\u0000${row.relation}`;
    const count = (listed.get(pair) ?? 0) + 1;
    listed.set(pair, count);
    if (count > perNode) continue; // the probe's extra row only says there are more
    links.push(
      direction === 'up'
        ? { src: row.node, relation: row.relation, dst: row.other }
        : { src: row.other, relation: row.relation, dst: row.node },
    );
  }
  const crowded = [...listed.entries()].filter(([, count]) => count > perNode);
  if (crowded.length === 0) return { links, groups: [] };
  const pairs = crowded.map(([pair]) => pair.split('\u0000'));
  const { rows: counts } = await pool.query<{
    node: string;
    relation: Relation;
    total: string;
    kind: string;
  }>(
    `SELECT p.node, p.relation,
            (SELECT count(*) FROM (SELECT 1 FROM lineage_edges e
                                   WHERE e.${near} = p.node AND e.relation = p.relation
                                   LIMIT ${COUNT_CAP + 1}) capped) AS total,
            (SELECT split_part(e.${far}, ':', 1) FROM lineage_edges e
             WHERE e.${near} = p.node AND e.relation = p.relation LIMIT 1) AS kind
     FROM unnest($1::text[], $2::text[]) AS p(node, relation)`,
    [pairs.map(([node]) => node), pairs.map(([, relation]) => relation)],
  );
  const groups = counts.map((row): LinkGroup => ({
    node: row.node,
    relation: row.relation,
    direction,
    kind: row.kind as NodeKind,
    rlRunId: null,
    count: Math.min(Number(row.total), COUNT_CAP),
    countExact: Number(row.total) <= COUNT_CAP,
    firstStep: null,
    lastStep: null,
    listed: perNode,
  }));
  return { links, groups };
}

/** Rollouts and rewards upstream: their edges are their own columns (see lineage_graph). */
async function derivedUp(pool: Pool, nodes: readonly string[]): Promise<Expansion> {
  const links: Link[] = [];
  const rolloutIds = idsOf(nodes, 'rollout');
  if (rolloutIds.length > 0) {
    const { rows } = await pool.query<{
      rollout_id: string;
      rl_run_id: string;
      task_id: string;
      policy_checkpoint_id: string | null;
      partial_of: string | null;
    }>(
      `SELECT rollout_id, rl_run_id, task_id, policy_checkpoint_id, partial_of
       FROM rollouts WHERE rollout_id = ANY($1::text[])`,
      [rolloutIds],
    );
    for (const row of rows) {
      const src = `rollout:${row.rollout_id}`;
      links.push({ src, relation: 'in', dst: `rl_run:${row.rl_run_id}` });
      links.push({ src, relation: 'of', dst: `task:${row.task_id}` });
      if (row.policy_checkpoint_id)
        links.push({ src, relation: 'by', dst: `checkpoint:${row.policy_checkpoint_id}` });
      if (row.partial_of)
        links.push({ src, relation: 'continues', dst: `rollout:${row.partial_of}` });
    }
  }
  const rewardIds = idsOf(nodes, 'reward');
  if (rewardIds.length > 0) {
    const { rows } = await pool.query<{
      reward_id: string;
      rollout_id: string;
      verifier_name: string | null;
      verifier_version: string | null;
      critic_version_id: string | null;
    }>(
      `SELECT reward_id, rollout_id, verifier_name, verifier_version, critic_version_id
       FROM rewards WHERE reward_id = ANY($1::text[])`,
      [rewardIds],
    );
    for (const row of rows) {
      const src = `reward:${row.reward_id}`;
      links.push({ src, relation: 'for', dst: `rollout:${row.rollout_id}` });
      if (row.verifier_name !== null)
        links.push({
          src,
          relation: 'by',
          dst: verifierNode(row.verifier_name, row.verifier_version!),
        });
      else if (row.critic_version_id !== null)
        links.push({ src, relation: 'by', dst: `critic_version:${row.critic_version_id}` });
    }
  }
  return { links, groups: [] };
}

/**
 * Rows pointing at nodes through one column, listed up to `perNode` each (index order), and
 * counted: exactly by `count` when given (from an aggregate), else by a capped scan.
 */
async function rowsPointingAt(
  pool: Pool,
  spec: {
    table: string;
    idColumn: string;
    column: string;
    kind: NodeKind;
    relation: Relation;
    /** SQL giving the exact count for the target `t.target`, when an aggregate has it. */
    count?: string;
    /** Listing order: that of the index on `column` (default position). */
    orderBy?: string;
  },
  targetKind: NodeKind,
  ids: readonly string[],
  perNode: number,
): Promise<Expansion> {
  if (ids.length === 0) return { links: [], groups: [] };
  const counted =
    spec.count ??
    `(SELECT count(*) FROM (SELECT 1 FROM ${spec.table} r WHERE r.${spec.column} = t.target
                           LIMIT ${COUNT_CAP + 1}) capped)`;
  const { rows } = await pool.query<{ target: string; ids: string[]; total: string }>(
    `SELECT t.target,
            ARRAY(SELECT r.${spec.idColumn} FROM ${spec.table} r WHERE r.${spec.column} = t.target
                  ORDER BY ${spec.orderBy ?? 'r.position'} LIMIT $2) AS ids,
            CASE WHEN (SELECT count(*) FROM (SELECT 1 FROM ${spec.table} r WHERE r.${spec.column} = t.target
                                             LIMIT $2 + 1) listed) <= $2
                 THEN NULL ELSE ${counted} END AS total
     FROM unnest($1::text[]) AS t(target)`,
    [ids, perNode],
  );
  const links: Link[] = [];
  const groups: LinkGroup[] = [];
  for (const row of rows) {
    const dst = `${targetKind}:${row.target}`;
    for (const id of row.ids)
      links.push({ src: `${spec.kind}:${id}`, relation: spec.relation, dst });
    if (row.total === null) continue; // all listed
    const total = Number(row.total);
    const exact = spec.count !== undefined || total <= COUNT_CAP;
    groups.push({
      node: dst,
      relation: spec.relation,
      direction: 'down',
      kind: spec.kind,
      rlRunId: targetKind === 'rl_run' ? row.target : null,
      count: exact ? total : COUNT_CAP,
      countExact: exact,
      firstStep: null,
      lastStep: null,
      listed: row.ids.length,
    });
  }
  return { links, groups };
}

/**
 * Rollouts of tasks and checkpoints, rewards of verifiers and critic versions: counted per run
 * from the aggregates the projector keeps (rollout_links, reward_rollups), never listed.
 */
async function aggregatedDown(pool: Pool, nodes: readonly string[]): Promise<Expansion> {
  const groups: LinkGroup[] = [];
  const linkTargets = nodes.filter((node) => ['task', 'checkpoint'].includes(splitNode(node).kind));
  if (linkTargets.length > 0) {
    const { rows } = await pool.query<{
      target: string;
      rl_run_id: string;
      count: string;
      first_step: number;
      last_step: number;
    }>(
      `SELECT target, rl_run_id, count, first_step, last_step FROM rollout_links
       WHERE target = ANY($1::text[]) ORDER BY target, rl_run_id`,
      [linkTargets],
    );
    for (const row of rows) {
      groups.push({
        node: row.target,
        relation: splitNode(row.target).kind === 'task' ? 'of' : 'by',
        direction: 'down',
        kind: 'rollout',
        rlRunId: row.rl_run_id,
        count: Number(row.count),
        countExact: true,
        firstStep: row.first_step,
        lastStep: row.last_step,
        listed: 0,
      });
    }
  }
  // Walked nodes were parsed or built by verifier_node: every verifier id decodes.
  const verifiers = idsOf(nodes, 'verifier').flatMap((id) => {
    const decoded = decodeVerifierId(id);
    return 'name' in decoded ? [decoded] : [];
  });
  const critics = idsOf(nodes, 'critic_version');
  if (verifiers.length + critics.length > 0) {
    const { rows } = await pool.query<{
      node: string;
      rl_run_id: string;
      count: string;
      first_step: number;
      last_step: number;
    }>(
      // Matched on the name and version columns: reward_rollups_verifier_idx finds them.
      `SELECT verifier_node(r.verifier_name, r.verifier_version) AS node, r.rl_run_id,
              sum(r.count) AS count, min(r.step) AS first_step, max(r.step) AS last_step
       FROM reward_rollups r
       WHERE r.verifier_name <> ''
         AND (r.verifier_name, r.verifier_version) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       GROUP BY 1, 2
       UNION ALL
       SELECT 'critic_version:' || r.critic_version_id, r.rl_run_id,
              sum(r.count), min(r.step), max(r.step)
       FROM reward_rollups r WHERE r.critic_version_id = ANY($3::text[]) AND r.critic_version_id <> ''
       GROUP BY 1, 2
       ORDER BY 1, 2`,
      [
        verifiers.map((verifier) => verifier.name),
        verifiers.map((verifier) => verifier.version),
        critics,
      ],
    );
    for (const row of rows) {
      groups.push({
        node: row.node,
        relation: 'by',
        direction: 'down',
        kind: 'reward',
        rlRunId: row.rl_run_id,
        count: Number(row.count),
        countExact: true,
        firstStep: row.first_step,
        lastStep: row.last_step,
        listed: 0,
      });
    }
  }
  return { links: [], groups };
}

/** Every link at `nodes` in one direction, from every place the graph is kept. */
export async function expandNodes(
  pool: Pool,
  nodes: readonly string[],
  direction: WalkDirection,
  perNode: number,
): Promise<Expansion> {
  const parts =
    direction === 'up'
      ? [storedLinks(pool, nodes, 'up', perNode), derivedUp(pool, nodes)]
      : [
          storedLinks(pool, nodes, 'down', perNode),
          rowsPointingAt(
            pool,
            {
              table: 'rollouts',
              idColumn: 'rollout_id',
              column: 'rl_run_id',
              kind: 'rollout',
              relation: 'in',
              orderBy: 'r.step, r.position', // rollouts_run_step_idx: the first 100 without a sort
              // Every rollout has one task: the run's task links add up to its rollouts.
              count: `(SELECT coalesce(sum(l.count), 0) FROM rollout_links l
                       WHERE l.rl_run_id = t.target AND l.target LIKE 'task:%')`,
            },
            'rl_run',
            idsOf(nodes, 'rl_run'),
            perNode,
          ),
          rowsPointingAt(
            pool,
            {
              table: 'rewards',
              idColumn: 'reward_id',
              column: 'rollout_id',
              kind: 'reward',
              relation: 'for',
            },
            'rollout',
            idsOf(nodes, 'rollout'),
            perNode,
          ),
          rowsPointingAt(
            pool,
            {
              table: 'rollouts',
              idColumn: 'rollout_id',
              column: 'partial_of',
              kind: 'rollout',
              relation: 'continues',
            },
            'rollout',
            idsOf(nodes, 'rollout'),
            perNode,
          ),
          aggregatedDown(pool, nodes),
        ];
  const expansions = await Promise.all(parts);
  return {
    links: expansions.flatMap((expansion) => expansion.links),
    groups: expansions.flatMap((expansion) => expansion.groups),
  };
}
