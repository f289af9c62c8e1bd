import { randomUUID } from 'node:crypto';
import { findDefinition, type EventType } from '@tracker/events';
import type { Pool } from 'pg';
import type { GeneratedEvent } from './event-arbitraries';
import type { Mutant } from './event-mutations';

// What the ingest fuzz suite sent and what it was told, to compare with the journal and the
// projections afterwards: every accepted event there exactly as sent, no rejected one at all.

/** Per type: the field naming the event's own entity, and the table and column holding it. */
const OWN_ENTITY: Record<EventType, readonly [string, string, string]> = {
  'tool.registered': ['toolId', 'tools', 'tool_id'],
  'agent.defined': ['agentId', 'agents', 'agent_id'],
  'task.defined': ['taskId', 'tasks', 'task_id'],
  'synthesis.started': ['synthesisRunId', 'synthesis_runs', 'synthesis_run_id'],
  'trajectory.recorded': ['trajectoryId', 'trajectories', 'trajectory_id'],
  'synthesis.completed': ['synthesisRunId', 'synthesis_runs', 'synthesis_run_id'],
  'dataset.members.added': ['datasetId', 'dataset_versions', 'dataset_id'],
  'dataset.sealed': ['datasetId', 'dataset_versions', 'dataset_id'],
  'rl.started': ['rlRunId', 'rl_runs', 'rl_run_id'],
  'checkpoint.saved': ['checkpointId', 'checkpoints', 'checkpoint_id'],
  'rollout.completed': ['rolloutId', 'rollouts', 'rollout_id'],
  'reward.assigned': ['rewardId', 'rewards', 'reward_id'],
  'critic.compared': ['comparisonId', 'critic_comparisons', 'comparison_id'],
  'critic.updated': ['criticVersionId', 'critic_versions', 'critic_version_id'],
  'rl.finished': ['rlRunId', 'rl_runs', 'rl_run_id'],
  'evaluation.recorded': ['evaluationId', 'evaluations', 'evaluation_id'],
};

// Only these tables get rows from no event but their own type: a rejected event's id there
// can only have come from that event.
const OWNED_ONLY = new Set([
  'tools',
  'agents',
  'tasks',
  'trajectories',
  'checkpoints',
  'rollouts',
  'rewards',
  'critic_comparisons',
  'critic_versions',
  'evaluations',
]);

/**
 * A valid event made unique in the suite's database: a fresh event id and a fresh id of its
 * own entity (generated ids repeat on purpose; fast-check favours edge values).
 */
export function freshened(event: GeneratedEvent): GeneratedEvent {
  const [field] = OWN_ENTITY[event.type];
  const data = { ...event.data, [field]: `own-${randomUUID()}` };
  const subject = findDefinition(event.type)!.subject as (data: unknown) => string;
  return { ...event, id: `fuzz-${randomUUID()}`, subject: subject(data), data };
}

/** A mutant whose event id (when the mutation is not about the id) is fresh too. */
export function freshenedMutant(mutant: Mutant): Mutant {
  const input = mutant.input as Record<string, unknown>;
  if (mutant.id === undefined || mutant.expected.field === 'id' || typeof input !== 'object')
    return mutant;
  const id = `fuzz-rejected-${randomUUID()}`;
  return { ...mutant, input: { ...input, id }, id };
}

const storable = (text: string) => !text.includes('\u0000') && !/[\uD800-\uDFFF]/.test(text);

export class IngestLedger {
  /** Accepted event id -> the JSON text it was sent as. */
  readonly accepted = new Map<string, string>();
  /** Own entities of accepted events, per table. */
  private readonly acceptedEntities = new Map<string, Set<string>>();
  /** Own entities of rejected events, per table (only where the id could be stored at all). */
  private readonly rejectedEntities = new Map<string, Set<string>>();
  rejectedCount = 0;

  accept(event: GeneratedEvent): void {
    this.accepted.set(event.id, JSON.stringify(event));
    const [field, table] = OWN_ENTITY[event.type];
    add(this.acceptedEntities, table, event.data[field] as string);
  }

  reject(input: unknown): void {
    this.rejectedCount++;
    const event = input as Partial<GeneratedEvent> | null;
    const own = event?.type ? OWN_ENTITY[event.type] : undefined;
    const value = own && event?.data?.[own[0]];
    if (own && OWNED_ONLY.has(own[1]) && typeof value === 'string' && storable(value))
      add(this.rejectedEntities, own[1], value);
  }

  /**
   * The journal holds exactly the accepted events, each once and as sent; every accepted event
   * has its row; no rejected event's own entity exists; nothing was dead-lettered.
   */
  async expectProjected(pool: Pool): Promise<void> {
    const journal = await pool.query<{ event_id: string; envelope: string }>(
      'SELECT event_id, envelope::text AS envelope FROM event_journal',
    );
    expect(journal.rows.length).toBe(this.accepted.size);
    const journaled = new Map(journal.rows.map((row) => [row.event_id, row.envelope]));
    expect(journaled).toEqual(this.accepted);
    expect((await pool.query('SELECT reason FROM dead_letters')).rows).toEqual([]);

    for (const [table, ids] of this.acceptedEntities) {
      const found = await idsIn(pool, table, ids);
      expect({ table, missing: [...ids].filter((id) => !found.has(id)) }).toEqual({
        table,
        missing: [],
      });
    }
    for (const [table, ids] of this.rejectedEntities) {
      const found = await idsIn(pool, table, ids);
      expect({ table, rejectedButProjected: [...found] }).toEqual({
        table,
        rejectedButProjected: [],
      });
    }
  }
}

function add(map: Map<string, Set<string>>, table: string, id: string): void {
  const ids = map.get(table) ?? new Set<string>();
  ids.add(id);
  map.set(table, ids);
}

async function idsIn(pool: Pool, table: string, ids: Set<string>): Promise<Set<string>> {
  const column = Object.values(OWN_ENTITY).find(([, name]) => name === table)![2];
  const rows = await pool.query<{ id: string }>(
    `SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1::text[])`,
    [[...ids]],
  );
  return new Set(rows.rows.map((row) => row.id));
}
