import { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { decodeEvent, type EventType } from '@tracker/events';
import { applyEvents, settleAfterTurn } from '@tracker/read-model';
import {
  createTestDatabase,
  criticComparedEvent,
  expectedJoinedMetrics,
  freshId,
  joinedMetricsRun,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  seededRandom,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type JournaledWireEvent,
  type TestDatabase,
  type AnyWireEvent,
} from '@tracker/testing';
import { RunJoinedMetrics1764810000000 } from '../../../migrations/1764810000000-run-joined-metrics';
import { appendToJournal, awaitJournalTurn, reserveJournal } from './journal.sql';
import { projectBatch } from './project-batch';
import { BatchMaker, projectAtOnce } from './projecting-at-once.testing';
import { replayJournal } from './replay';

// The metrics that join several events (prompt groups x rewards, comparisons x the rewards of
// their rollouts, trajectories x tool registrations) must come out exactly as a recount from
// the raw events says, whatever order and batches the events come in, with redeliveries and
// reused entity ids, and when two projector transactions write the two sides at once.

const GROUP = 'test-projector';
const SEED = 20261204;
let log = new BatchMaker();
const batchOf = (events: readonly AnyWireEvent[], partition = 0) => log.batchOf(events, partition);

/** Splits events into consecutive batches of 1 to `largest` events (seeded sizes). */
function batches(events: readonly AnyWireEvent[], seed: number, largest: number): AnyWireEvent[][] {
  const random = seededRandom(seed);
  const result: AnyWireEvent[][] = [];
  for (let start = 0; start < events.length;) {
    const size = 1 + Math.floor(random() * largest);
    result.push(events.slice(start, start + size));
    start += size;
  }
  return result;
}

const transient = (error: unknown) =>
  ['40P01', '40001'].includes((error as { code?: string }).code ?? '');

/** Every aggregate and set table the settlers keep, in key order, numbers as numbers. */
async function joinedTables(pool: Pool) {
  const rows = async (sql: string) => (await pool.query(sql)).rows;
  return {
    groupRewardStats: await rows(`
      SELECT rl_run_id, group_id, kind, domain, step, rewards::int, min, max, pass_count::int
      FROM group_reward_stats
      ORDER BY rl_run_id COLLATE "C", group_id COLLATE "C", kind COLLATE "C", domain COLLATE "C"`),
    groupStepStats: await rows(`
      SELECT rl_run_id, kind, domain, step, groups::int, rewards::int, multi_reward_groups::int,
             zero_variance_groups::int, pass_groups::int
      FROM group_step_stats
      ORDER BY rl_run_id COLLATE "C", kind COLLATE "C", domain COLLATE "C", step`),
    criticAgreement: await rows(`
      SELECT rl_run_id, critic_version_id, domain, rubric_id, step, verifiable_pairs::int,
             decisive_pairs::int, agreed::int
      FROM critic_agreement_rollups
      ORDER BY rl_run_id COLLATE "C", critic_version_id COLLATE "C", domain COLLATE "C",
               rubric_id COLLATE "C", step`),
    criticComparisonCounts: await rows(`
      SELECT rl_run_id, critic_version_id, step, comparisons::int FROM critic_comparison_counts
      ORDER BY rl_run_id COLLATE "C", critic_version_id COLLATE "C", step`),
    synthesisFunnels: await rows(`
      SELECT synthesis_run_id, trajectories::int, passed_trajectories::int, tasks::int,
             passed_tasks::int, tools_called::int, tools_registered::int
      FROM synthesis_funnels ORDER BY synthesis_run_id COLLATE "C"`),
  };
}

/** The sets behind the funnel's distinct counts (compared on replay and backfill). */
async function funnelSets(pool: Pool) {
  return {
    tasks: (
      await pool.query(
        `SELECT * FROM synthesis_run_tasks ORDER BY synthesis_run_id COLLATE "C", task_id COLLATE "C"`,
      )
    ).rows,
    tools: (
      await pool.query(
        `SELECT * FROM synthesis_run_tools ORDER BY synthesis_run_id COLLATE "C", tool_id COLLATE "C"`,
      )
    ).rows,
  };
}

/** The events as the journal holds them: each id once, with its position. */
async function journalOf(pool: Pool, sent: readonly AnyWireEvent[]): Promise<JournaledWireEvent[]> {
  const byId = new Map(sent.map((event) => [event.id, event]));
  const { rows } = await pool.query<{ event_id: string; position: string }>(
    'SELECT event_id, position FROM event_journal ORDER BY position',
  );
  return rows.map((row) => ({ event: byId.get(row.event_id)!, position: Number(row.position) }));
}

describe('metrics joining several events, kept by the projector (real Postgres)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('joined_metrics');
    log = new BatchMaker();
  });
  afterEach(async () => {
    await database.drop();
  });

  const begin = async (): Promise<PoolClient> => {
    const client = await database.pool.connect();
    await client.query('BEGIN');
    return client;
  };
  const project = async (events: readonly AnyWireEvent[], partition = 0, copy = true) => {
    for (;;) {
      const client = await begin();
      try {
        await projectBatch(client, GROUP, batchOf(events, partition), { copy });
        await client.query('COMMIT');
        return;
      } catch (error) {
        await client.query('ROLLBACK');
        if (!transient(error)) throw error;
      } finally {
        client.release();
      }
    }
  };

  describe('a generated run (seeded), shuffled, with redeliveries and reused ids', () => {
    const run = joinedMetricsRun(SEED);

    it('is the kind of input it claims to be', () => {
      const firstIndex = new Map<string, number>();
      run.events.forEach((event, index) => {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'rollout.completed' && !firstIndex.has(data.rolloutId as string))
          firstIndex.set(data.rolloutId as string, index);
      });
      const rewardsFirst = run.events.filter((event, index) => {
        const data = event.data as Record<string, unknown>;
        return (
          event.type === 'reward.assigned' &&
          (firstIndex.get(data.rolloutId as string) ?? Infinity) > index
        );
      });
      const rewardIndex = new Map<string, number>();
      run.events.forEach((event, index) => {
        const data = event.data as Record<string, unknown>;
        if (event.type === 'reward.assigned' && !rewardIndex.has(data.rolloutId as string))
          rewardIndex.set(data.rolloutId as string, index);
      });
      const comparisonsFirst = run.events.filter((event, index) => {
        if (event.type !== 'critic.compared') return false;
        const ids = (event.data as { rolloutIds: string[] }).rolloutIds;
        return ids.some((id) => (rewardIndex.get(id) ?? Infinity) > index);
      });
      const redelivered = run.events.length - new Set(run.events.map((event) => event.id)).size;
      expect(rewardsFirst.length).toBeGreaterThan(10);
      expect(comparisonsFirst.length).toBeGreaterThan(5);
      expect(redelivered).toBeGreaterThan(5);
    });

    it('keeps every figure a recount from the raw events gives, batch after batch', async () => {
      for (const batch of batches(run.events, SEED, 40)) await project(batch);
      const expected = expectedJoinedMetrics(await journalOf(database.pool, run.events));
      // The run exercises what the figures are about (else this test could not fail on them).
      const steps = expected.groupStepStats;
      expect(steps.reduce((sum, row) => sum + row.zero_variance_groups, 0)).toBeGreaterThan(3);
      expect(steps.reduce((sum, row) => sum + row.pass_groups, 0)).toBeGreaterThan(3);
      const overall = expected.criticAgreement.filter((row) => row.rubric_id === '');
      const decisive = overall.reduce((sum, row) => sum + row.decisive_pairs, 0);
      const agreed = overall.reduce((sum, row) => sum + row.agreed, 0);
      expect(decisive).toBeGreaterThan(agreed);
      expect(agreed).toBeGreaterThan(0);
      expect(expected.synthesisFunnels).toHaveLength(1);
      const [funnel] = expected.synthesisFunnels;
      expect(funnel.tools_called).toBeGreaterThan(funnel.tools_registered);

      expect(await joinedTables(database.pool)).toEqual(expected);
    });

    it('keeps the same figures with two lanes projecting at once, through INSERT', async () => {
      const all = batches(run.events, SEED + 1, 25);
      const lanes = [0, 1].map((lane) => all.filter((_, index) => index % 2 === lane));
      await Promise.all(
        lanes.map(async (laneBatches, lane) => {
          for (const batch of laneBatches) await project(batch, lane + 1, false);
        }),
      );
      const expected = expectedJoinedMetrics(await journalOf(database.pool, run.events));
      expect(await joinedTables(database.pool)).toEqual(expected);
    });

    it('rebuilds identical tables on replay, and the migration backfills them identically', async () => {
      for (const batch of batches(run.events, SEED + 2, 60)) await project(batch);
      const before = {
        ...(await joinedTables(database.pool)),
        ...(await funnelSets(database.pool)),
      };

      await replayJournal(database.pool, { copy: true });
      expect({
        ...(await joinedTables(database.pool)),
        ...(await funnelSets(database.pool)),
      }).toEqual(before);

      // Down and up again: the backfill from the projected rows gives the same tables.
      const dataSource = new DataSource({ type: 'postgres', url: database.url });
      await dataSource.initialize();
      const runner = dataSource.createQueryRunner();
      try {
        const migration = new RunJoinedMetrics1764810000000();
        await migration.down(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
        await dataSource.destroy();
      }
      expect({
        ...(await joinedTables(database.pool)),
        ...(await funnelSets(database.pool)),
      }).toEqual(before);
    });
  });

  // Each join's two sides projected by two transactions at once: the earlier one has projected
  // (and settled) but not committed when the later one projects; the later one settles only
  // after its turn, when the earlier one's rows are committed.
  interface Sides {
    name: string;
    build(): {
      rows: AnyWireEvent[];
      joining: AnyWireEvent[];
      check(pool: Pool): Promise<void>;
      /**
       * The split showing a too-early settle, when it differs: sides sharing no aggregate row,
       * else the later transaction waits on the earlier one's row locks already while projecting
       * (rewards of one run and step meet in the reward rollups) and settles late enough anyway.
       */
      blind?: { rows: AnyWireEvent[]; joining: AnyWireEvent[] };
    };
  }

  const groupSides: Sides = {
    name: 'group statistics (rollouts | their rewards)',
    build() {
      const rlRunId = freshId('rl');
      const groupId = freshId('group');
      const rollouts = [0, 1, 2].map(() => rolloutCompletedEvent({ rlRunId, groupId, step: 4 }));
      const rewards = rollouts.map((rollout, index) =>
        rewardAssignedEvent({
          rlRunId,
          step: 4,
          rolloutId: rollout.data.rolloutId,
          domain: 'math',
          value: index === 2 ? 0 : 1,
        }),
      );
      return {
        rows: rollouts,
        joining: rewards,
        async check(pool) {
          const { rows } = await pool.query(
            `SELECT group_id, step, rewards::int, min, max, pass_count::int FROM group_reward_stats
             WHERE rl_run_id = $1`,
            [rlRunId],
          );
          expect(rows).toEqual([
            { group_id: groupId, step: 4, rewards: 3, min: 0, max: 1, pass_count: 2 },
          ]);
          const steps = await pool.query(
            `SELECT step, groups::int, multi_reward_groups::int, zero_variance_groups::int,
                    pass_groups::int FROM group_step_stats WHERE rl_run_id = $1`,
            [rlRunId],
          );
          expect(steps.rows).toEqual([
            { step: 4, groups: 1, multi_reward_groups: 1, zero_variance_groups: 0, pass_groups: 1 },
          ]);
        },
      };
    },
  };

  const criticSides: Sides = {
    name: 'critic agreement (comparison and one reward | the other reward)',
    build() {
      const rlRunId = freshId('rl');
      const [a, b] = [freshId('rollout'), freshId('rollout')];
      const criticVersionId = freshId('critic');
      const reward = (rolloutId: string, value: number) =>
        rewardAssignedEvent({
          rlRunId,
          step: 7,
          rolloutId,
          domain: 'logic',
          value,
        });
      const comparison = criticComparedEvent({
        rlRunId,
        step: 7,
        criticVersionId,
        rolloutIds: [a, b],
        preferredRolloutId: b,
        rubricIds: ['core.clarity_relevance'],
      });
      const [rewardA, rewardB] = [reward(a, 0), reward(b, 1)];
      return {
        rows: [comparison, rewardA],
        joining: [rewardB],
        blind: { rows: [comparison], joining: [rewardA, rewardB] },
        async check(pool) {
          const { rows } = await pool.query(
            `SELECT domain, rubric_id, step, verifiable_pairs::int, decisive_pairs::int, agreed::int
             FROM critic_agreement_rollups WHERE rl_run_id = $1 ORDER BY rubric_id`,
            [rlRunId],
          );
          const agreed = {
            domain: 'logic',
            step: 7,
            verifiable_pairs: 1,
            decisive_pairs: 1,
            agreed: 1,
          };
          expect(rows).toEqual([
            { ...agreed, rubric_id: '' },
            { ...agreed, rubric_id: 'core.clarity_relevance' },
          ]);
        },
      };
    },
  };

  const funnelSides: Sides = {
    name: 'synthesis funnel (trajectory calling two tools | one of them registered)',
    build() {
      const synthesisRunId = freshId('synthesis');
      const [registered, unregistered] = [freshId('tool'), freshId('tool')];
      const trajectory = trajectoryRecordedEvent({
        synthesisRunId,
        turns: [
          {
            role: 'assistant',
            content: null,
            toolCalls: [registered, unregistered].map((toolId) => ({ toolId, arguments: {} })),
          },
        ],
      });
      return {
        rows: [trajectory],
        joining: [toolRegisteredEvent({ toolId: registered })],
        async check(pool) {
          const { rows } = await pool.query(
            `SELECT trajectories::int, passed_trajectories::int, tasks::int, passed_tasks::int,
                    tools_called::int, tools_registered::int
             FROM synthesis_funnels WHERE synthesis_run_id = $1`,
            [synthesisRunId],
          );
          expect(rows).toEqual([
            {
              trajectories: 1,
              passed_trajectories: 1,
              tasks: 1,
              passed_tasks: 1,
              tools_called: 2,
              tools_registered: 1,
            },
          ]);
        },
      };
    },
  };

  /** What projectBatch does, but settling BEFORE the journal turn: the bug the turn prevents. */
  async function projectSettlingEarly(client: PoolClient, events: readonly AnyWireEvent[]) {
    const decoded = events.map((event) => {
      const result = decodeEvent(event);
      if (!result.ok) throw new Error(result.rejection.reason);
      return result.event;
    });
    const reservation = await reserveJournal(client, decoded.length);
    const entries = decoded.map((event, index) => ({
      event,
      index,
      raw: null,
      place: { topic: 'tracker.events', partition: 3, offset: String(index), timestamp: '0' },
    }));
    const journaled = await appendToJournal(client, entries, reservation, { copy: false });
    await applyEvents(client, journaled, { copy: false });
    const first = reservation.firstPosition;
    await settleAfterTurn(
      client,
      { first: String(first), last: String(first + BigInt(decoded.length) - 1n) },
      new Set<EventType>(decoded.map((event) => event.type)),
    );
    await awaitJournalTurn(client, reservation);
  }

  describe.each([groupSides, criticSides, funnelSides])('$name', (sides) => {
    it.each(['rows', 'joining'] as const)(
      'counts the join once when two transactions project the sides at once, %s side first',
      async (firstSide) => {
        const { rows, joining, check } = sides.build();
        const [earlierEvents, laterEvents] =
          firstSide === 'rows' ? [rows, joining] : [joining, rows];
        await projectAtOnce(database.pool, log, earlierEvents, laterEvents);
        await check(database.pool);
        // Delivered again, in one batch: nothing changes.
        await project([...rows, ...joining]);
        await check(database.pool);
      },
    );

    it('would lose the join if the later transaction settled before its turn', async () => {
      const built = sides.build();
      const { rows, joining } = built.blind ?? built;
      const earlier = await begin();
      const later = await begin();
      try {
        await projectBatch(earlier, GROUP, batchOf(rows, 1), { copy: true });
        const laterProjected = projectSettlingEarly(later, joining);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await earlier.query('COMMIT');
        await laterProjected;
        await later.query('COMMIT');
      } finally {
        earlier.release();
        later.release();
      }
      await expect(built.check(database.pool)).rejects.toThrow();
      // The same two transactions, settled after the turn (a replay of the journal), count it.
      await replayJournal(database.pool, { copy: true });
      await built.check(database.pool);
    });
  });
});
