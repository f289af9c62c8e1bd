import type { Pool } from 'pg';
import { ApiError } from '../../graphql/api-error';
import type { ConnectionShape } from '../../graphql/connection';
import {
  decodeCursor,
  encodeCursor,
  pageOfRows,
  pageSize,
  type PageRequest,
} from '../../graphql/page-query';
import { sealEventsSql } from '../datasets/dataset-as-of.sql';
import type { JournalEventRow } from '../journal/journal-event.model';
import type { TypedNodeId } from '../typed-node-id';

// Entities made by one event: the journal event at their row's position (first wins).
const ENTITY_ROWS: Partial<Record<TypedNodeId['kind'], { table: string; idColumn: string }>> = {
  tool: { table: 'tools', idColumn: 'tool_id' },
  agent: { table: 'agents', idColumn: 'agent_id' },
  task: { table: 'tasks', idColumn: 'task_id' },
  trajectory: { table: 'trajectories', idColumn: 'trajectory_id' },
  checkpoint: { table: 'checkpoints', idColumn: 'checkpoint_id' },
  rollout: { table: 'rollouts', idColumn: 'rollout_id' },
  reward: { table: 'rewards', idColumn: 'reward_id' },
  comparison: { table: 'critic_comparisons', idColumn: 'comparison_id' },
  critic_version: { table: 'critic_versions', idColumn: 'critic_version_id' },
  evaluation: { table: 'evaluations', idColumn: 'evaluation_id' },
};

// Runs: their lifecycle events only (their subject also carries every trajectory, rollout and
// reward of the run); the literal type lists match the partial event_journal_lifecycle_idx.
const RUN_EVENTS: Partial<Record<TypedNodeId['kind'], { subjectKind: string; types: string }>> = {
  synthesis_run: { subjectKind: 'synthesis', types: `'synthesis.started', 'synthesis.completed'` },
  rl_run: { subjectKind: 'rl', types: `'rl.started', 'rl.finished'` },
};

/** SQL selecting the journal positions of the node's trail (a column `position`), with its parameters. */
function trailPositions(node: TypedNodeId): { sql: string; params: unknown[] } {
  if (node.kind === 'dataset_version') {
    // Every dataset.members.added of the version left member rows or a finding, and every seal
    // of it is in the journal under the dataset's subject.
    return {
      sql: `SELECT m.position FROM dataset_members m WHERE m.dataset_id = $1 AND m.version = $2
        UNION ALL SELECT f.position FROM dataset_findings f WHERE f.dataset_id = $1 AND f.version = $2
        UNION ALL SELECT seal.position FROM (${sealEventsSql('$1::text', '$2::int')}) seal`,
      params: [node.datasetId, node.version],
    };
  }
  const entity = ENTITY_ROWS[node.kind];
  if (entity)
    return {
      sql: `SELECT position FROM ${entity.table} WHERE ${entity.idColumn} = $1`,
      params: [node.id],
    };
  const run = RUN_EVENTS[node.kind];
  if (run)
    return {
      sql: `SELECT position FROM event_journal WHERE subject = $1 AND type IN (${run.types})`,
      params: [`${run.subjectKind}:${node.id}`],
    };
  throw new ApiError(
    'BAD_USER_INPUT',
    `id: ${JSON.stringify(`${node.kind}:${node.id}`)} has kind ${JSON.stringify(node.kind)}, which has no audit trail: no event creates one (rewards name verifier versions)`,
  );
}

/**
 * One page of the journal events that made a node what it is, in journal order (keyset on
 * position), cut at `asOf` (event_journal.projected_at) when set. Every kind is an indexed
 * lookup: the entity row's position, a run's lifecycle events (partial index), a dataset
 * version's member rows (index-only), findings and seals.
 */
export async function pageAuditTrail<Node>(
  pool: Pool,
  node: TypedNodeId,
  asOf: Date | null,
  page: PageRequest,
  toNode: (row: JournalEventRow) => Node,
): Promise<ConnectionShape<Node>> {
  const first = pageSize(page.first);
  const after = page.after ? decodeCursor(page.after) : null;
  const positions = trailPositions(node);
  const params = [...positions.params];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const afterCondition = after === null ? '' : `WHERE p.position > ${param(after)}::bigint`;
  const asOfCondition = asOf ? `AND j.projected_at <= ${param(asOf)}::timestamptz` : '';
  // The positions are few (a version's member rows share their event's): each is looked up in
  // the journal by primary key (LIMIT keeps the lookup a parameterized nested loop).
  const { rows } = await pool.query<JournalEventRow>(
    `SELECT j.* FROM (SELECT DISTINCT p.position FROM (${positions.sql}) p ${afterCondition}) p
     CROSS JOIN LATERAL (
       SELECT * FROM event_journal j WHERE j.position = p.position ${asOfCondition} LIMIT 1
     ) j
     ORDER BY j.position LIMIT ${param(first + 1)}`,
    params,
  );
  return pageOfRows(rows, first, after !== null, (row) => encodeCursor(row.position), toNode);
}
