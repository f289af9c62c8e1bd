import { createHash } from 'node:crypto';
import type { BatchToProject } from './project-batch';
import { inTransaction, verifierNode } from '@tracker/read-model';
import {
  anyEventOf,
  createTestDatabase,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  trajectoryRecordedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { EVENT_TYPES } from '@tracker/events';
import { projectBatch, projectBatches } from './project-batch';

const GROUP = 'test-projector';

function batchOf(
  values: Array<{ subject: string } | string>,
  partition = 0,
  firstOffset = 0,
): BatchToProject {
  return {
    topic: 'tracker.events',
    partition,
    highWatermark: String(firstOffset + values.length),
    messages: values.map((value, index) => ({
      offset: String(firstOffset + index),
      key: typeof value === 'string' ? null : value.subject,
      value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
      timestamp: String(Date.now()),
    })),
  };
}

describe.each([
  { journal: 'COPY', copy: true },
  { journal: 'INSERT', copy: false },
])('projectBatch (real Postgres, journal by $journal)', ({ copy }) => {
  let database: TestDatabase;
  const project = (batch: BatchToProject) =>
    inTransaction(database.pool, (client) => projectBatch(client, GROUP, batch, { copy }));
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    Number(
      (await database.pool.query(`SELECT count(*) FROM ${table} WHERE ${where}`, params)).rows[0]
        .count,
    );

  beforeEach(async () => {
    database = await createTestDatabase('projector');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('projects one event of every type and journals each with a position', async () => {
    const events = EVENT_TYPES.map((type) => anyEventOf(type));
    const outcome = await project(batchOf(events));
    expect(outcome).toMatchObject({ projected: 16, duplicates: 0, deadLettered: 0, skipped: 0 });
    const journal = await database.pool.query(
      `SELECT event_id, type FROM event_journal ORDER BY position`,
    );
    expect(journal.rows.map((row) => row.type)).toEqual(EVENT_TYPES);
    // Two event types per row kind name different (fresh) ids here: two rows each.
    for (const table of ['synthesis_runs', 'dataset_versions', 'rl_runs']) {
      expect({ table, rows: await count(table) }).toEqual({ table, rows: 2 });
    }
    for (const table of [
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
    ]) {
      expect({ table, rows: await count(table) }).toEqual({ table, rows: 1 });
    }
    expect(await count('lineage_edges')).toBeGreaterThan(10);
    // Rollout and reward edges are not stored but derived from their rows, with the same names.
    const rollout = events[EVENT_TYPES.indexOf('rollout.completed')] as ReturnType<
      typeof rolloutCompletedEvent
    >;
    const reward = events[EVENT_TYPES.indexOf('reward.assigned')] as ReturnType<
      typeof rewardAssignedEvent
    >;
    expect(await count('lineage_edges', `src LIKE 'rollout:%' OR src LIKE 'reward:%'`)).toBe(0);
    const derived = await database.pool.query(
      `SELECT src, relation, dst FROM lineage_graph WHERE src = ANY($1) ORDER BY src, relation, dst`,
      [[`rollout:${rollout.data.rolloutId}`, `reward:${reward.data.rewardId}`]],
    );
    const judge = reward.data.verifier
      ? verifierNode(reward.data.verifier.name, reward.data.verifier.version)
      : `critic_version:${reward.data.criticVersionId}`;
    expect(derived.rows).toEqual(
      [
        { src: `reward:${reward.data.rewardId}`, relation: 'by', dst: judge },
        {
          src: `reward:${reward.data.rewardId}`,
          relation: 'for',
          dst: `rollout:${reward.data.rolloutId}`,
        },
        ...(rollout.data.policyCheckpointId
          ? [
              {
                src: `rollout:${rollout.data.rolloutId}`,
                relation: 'by',
                dst: `checkpoint:${rollout.data.policyCheckpointId}`,
              },
            ]
          : []),
        {
          src: `rollout:${rollout.data.rolloutId}`,
          relation: 'in',
          dst: `rl_run:${rollout.data.rlRunId}`,
        },
        {
          src: `rollout:${rollout.data.rolloutId}`,
          relation: 'of',
          dst: `task:${rollout.data.taskId}`,
        },
      ].sort((a, b) =>
        `${a.src} ${a.relation} ${a.dst}` < `${b.src} ${b.relation} ${b.dst}` ? -1 : 1,
      ),
    );
  });

  it('journals each envelope exactly as it was in the log (whitespace, escapes, tabs)', async () => {
    const event = rolloutCompletedEvent({ finishReason: 'stop' });
    // Pretty-printed with tabs and newlines, a string with escapes: COPY's text format must
    // carry all of it unchanged.
    const raw = JSON.stringify({ ...event, source: 'worker\\pool\ttab\nline' }, null, '\t').replace(
      '{',
      '{ \r\n',
    );
    const outcome = await project(batchOf([raw]));
    expect(outcome).toMatchObject({ projected: 1, deadLettered: 0 });
    const stored = await database.pool.query(
      `SELECT envelope::text AS envelope, source FROM event_journal`,
    );
    expect(stored.rows).toEqual([{ envelope: raw, source: 'worker\\pool\ttab\nline' }]);
  });

  it('skips an id that a concurrent transaction journals first (no dead letter, no double)', async () => {
    const event = rolloutCompletedEvent();
    const first = await database.pool.connect();
    try {
      await first.query('BEGIN');
      await projectBatch(first, GROUP, batchOf([event], 1), { copy });
      // The second transaction meets the first one's uncommitted row, waits, then skips it.
      const second = project(batchOf([event], 2));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.query('COMMIT');
      expect(await second).toMatchObject({ projected: 0, duplicates: 1, deadLettered: 0 });
    } finally {
      first.release();
    }
    expect(await count('event_journal')).toBe(1);
    expect(await count('rollouts')).toBe(1);
    expect(await count('dead_letters')).toBe(0);
  });

  it('applies a batch delivered twice once: same offsets are skipped, same ids are deduplicated', async () => {
    const rollout = rolloutCompletedEvent();
    const reward = rewardAssignedEvent({
      rolloutId: rollout.data.rolloutId,
      rlRunId: rollout.data.rlRunId,
    });
    await project(batchOf([rollout, reward]));
    const redelivered = await project(batchOf([rollout, reward]));
    expect(redelivered).toMatchObject({ skipped: 2, projected: 0 });
    // A retrying producer: the same events again at new offsets of another partition.
    const retried = await project(batchOf([rollout, reward], 3, 100));
    expect(retried).toMatchObject({ skipped: 0, projected: 0, duplicates: 2 });
    expect(await count('event_journal')).toBe(2);
    expect(await count('rewards')).toBe(1);
    const rollup = await database.pool.query(`SELECT count FROM reward_rollups`);
    expect(rollup.rows).toEqual([{ count: '1' }]);
  });

  it('joins consecutive batches of one partition handed over together (pipelined fetches)', async () => {
    const [first, second, third] = [
      rolloutCompletedEvent(),
      rolloutCompletedEvent(),
      rolloutCompletedEvent(),
    ];
    const outcome = await inTransaction(database.pool, (client) =>
      projectBatches(
        client,
        GROUP,
        [batchOf([first, second], 5, 10), batchOf([third], 5, 12), batchOf([], 6, 0)],
        { copy },
      ),
    );
    expect(outcome).toMatchObject({ projected: 3, skipped: 0 });
    const offsets = await database.pool.query(
      `SELECT log_partition, last_offset, high_watermark FROM consumer_offsets`,
    );
    expect(offsets.rows).toEqual([{ log_partition: 5, last_offset: '12', high_watermark: '13' }]);
    const journal = await database.pool.query(
      `SELECT event_id FROM event_journal ORDER BY position`,
    );
    expect(journal.rows.map((row) => row.event_id)).toEqual([first.id, second.id, third.id]);
  });

  it('adds the edges of an entity only with its row: a later event reusing the id adds none', async () => {
    const call = (toolId: string) => ({
      role: 'assistant' as const,
      content: null,
      toolCalls: [{ toolId, arguments: {} }],
    });
    const original = trajectoryRecordedEvent({ turns: [call('tool-a')] });
    const trajectoryId = original.data.trajectoryId;
    // The same trajectory id again, calling other tools: in the same batch, and in a later one.
    const sameBatch = trajectoryRecordedEvent({ trajectoryId, turns: [call('tool-b')] });
    const laterBatch = trajectoryRecordedEvent({
      trajectoryId,
      taskId: 'another-task',
      turns: [call('tool-c')],
    });
    await project(batchOf([original, sameBatch]));
    await project(batchOf([laterBatch], 0, 2));
    const edges = await database.pool.query(
      `SELECT relation, dst FROM lineage_edges WHERE src = $1 ORDER BY relation, dst`,
      [`trajectory:${trajectoryId}`],
    );
    expect(edges.rows).toEqual([
      { relation: 'by', dst: `agent:${original.data.agentId}` },
      { relation: 'calls', dst: 'tool:tool-a' },
      { relation: 'in', dst: `synthesis_run:${original.data.synthesisRunId}` },
      { relation: 'of', dst: `task:${original.data.taskId}` },
    ]);
    expect(await count('event_journal')).toBe(3);
  });

  it('keeps a reward that arrives before its rollout and links it when the rollout comes', async () => {
    const rollout = rolloutCompletedEvent();
    const reward = rewardAssignedEvent({
      rolloutId: rollout.data.rolloutId,
      rlRunId: rollout.data.rlRunId,
      step: rollout.data.step,
    });
    await project(batchOf([reward], 1));
    expect(await count('rewards')).toBe(1);
    await project(batchOf([rollout], 2));
    const linked = await database.pool.query(
      `SELECT r.reward_id, o.rollout_id FROM rewards r JOIN rollouts o USING (rollout_id)`,
    );
    expect(linked.rows).toEqual([
      { reward_id: reward.data.rewardId, rollout_id: rollout.data.rolloutId },
    ]);
  });

  it('dead-letters a poison message with its reason and bytes and projects the rest', async () => {
    const before = rolloutCompletedEvent();
    const after = rolloutCompletedEvent();
    const invalid = rewardAssignedEvent({ value: 0.5 });
    const outcome = await project(batchOf([before, '{not json', invalid, after]));
    expect(outcome).toMatchObject({ projected: 2, deadLettered: 2 });
    const letters = await database.pool.query(
      `SELECT log_offset, stage, reason, event_id, raw FROM dead_letters ORDER BY log_offset`,
    );
    expect(letters.rows.map((row) => [row.log_offset, row.stage])).toEqual([
      ['1', 'decode'],
      ['2', 'decode'],
    ]);
    expect(letters.rows[0].reason).toMatch(/^event is not valid JSON/);
    expect(letters.rows[0].raw.toString()).toBe('{not json');
    expect(letters.rows[1]).toMatchObject({
      event_id: invalid.id,
      reason: 'data.value: must be one of 0, 1 (got 0.5) when data.kind is "verifiable"',
    });
    const offsets = await database.pool.query(`SELECT last_offset FROM consumer_offsets`);
    expect(offsets.rows).toEqual([{ last_offset: '3' }]);
  });

  it('isolates an event whose data Postgres refuses and dead-letters only that one', async () => {
    // A constraint only this test database has: valid events the database still refuses.
    await database.pool.query(
      `ALTER TABLE rollouts ADD CONSTRAINT test_refuses_poison CHECK (gym_template IS DISTINCT FROM 'poison')`,
    );
    const good = rolloutCompletedEvent();
    const refused = rolloutCompletedEvent({ gym: { template: 'poison', domain: 'math' } });
    const outcome = await project(batchOf([good, refused]));
    expect(outcome).toMatchObject({ projected: 1, deadLettered: 1 });
    const letters = await database.pool.query(`SELECT stage, event_id, reason FROM dead_letters`);
    expect(letters.rows[0]).toMatchObject({ stage: 'project', event_id: refused.id });
    expect(letters.rows[0].reason).toMatch(
      /^projection of rollout.completed failed: .*test_refuses_poison/,
    );
    expect(await count('rollouts')).toBe(1);
    expect(await count('event_journal')).toBe(1);
  });

  it('recomputes the content hash at seal and records members added after the seal', async () => {
    const datasetId = `ds-${Date.now()}`;
    const members = ['traj-b', 'traj-a', 'traj-c'];
    const expectedHash = createHash('sha256')
      .update([...members].sort().join('\n'))
      .digest('hex');
    const add = datasetMembersAddedEvent({
      datasetId,
      version: 1,
      memberKind: 'trajectory',
      memberIds: members,
    });
    const seal = datasetSealedEvent({
      datasetId,
      version: 1,
      memberCount: 3,
      contentHash: expectedHash,
    });
    const late = datasetMembersAddedEvent({
      datasetId,
      version: 1,
      memberKind: 'trajectory',
      memberIds: ['traj-d'],
    });
    await project(batchOf([add, seal, late]));
    const version = await database.pool.query(
      `SELECT member_count, sealed, computed_content_hash, sealed_content_hash FROM dataset_versions`,
    );
    expect(version.rows).toEqual([
      {
        member_count: 3,
        sealed: true,
        computed_content_hash: expectedHash,
        sealed_content_hash: expectedHash,
      },
    ]);
    const findings = await database.pool.query(`SELECT finding, member_ids FROM dataset_findings`);
    expect(findings.rows).toEqual([{ finding: 'added_after_seal', member_ids: ['traj-d'] }]);
    expect(await count('dataset_members')).toBe(3);
  });

  it('maintains reward rollups per run, domain, kind and step', async () => {
    const rlRunId = `run-${Date.now()}`;
    const rewards = [1, 0, 1].map((value) =>
      rewardAssignedEvent({
        rlRunId,
        step: 7,
        domain: 'math',
        kind: 'verifiable',
        value,
        verifier: { name: 'math', version: '1.3' },
      }),
    );
    rewards.push(
      rewardAssignedEvent({
        rlRunId,
        step: 7,
        domain: 'math',
        kind: 'verifiable',
        value: 1,
        verifier: { name: 'math', version: '1.3' },
        hackCheck: { flagged: true },
      }),
    );
    // Another verifier version at the same step: a rollup row of its own (judges are keyed).
    rewards.push(
      rewardAssignedEvent({
        rlRunId,
        step: 7,
        domain: 'math',
        kind: 'verifiable',
        value: 0,
        verifier: { name: 'math', version: '1.4' },
      }),
    );
    await project(batchOf(rewards.slice(0, 2)));
    await project(batchOf(rewards.slice(2), 0, 2));
    const rollup = await database.pool.query(
      `SELECT verifier_version, count, sum::float8 AS sum, min, max, pass_count, hack_flagged_count
       FROM reward_rollups WHERE rl_run_id = $1 ORDER BY verifier_version`,
      [rlRunId],
    );
    expect(rollup.rows).toEqual([
      {
        verifier_version: '1.3',
        count: '4',
        sum: 3,
        min: 0,
        max: 1,
        pass_count: '3',
        hack_flagged_count: '1',
      },
      {
        verifier_version: '1.4',
        count: '1',
        sum: 0,
        min: 0,
        max: 0,
        pass_count: '0',
        hack_flagged_count: '0',
      },
    ]);
  });
});
