import {
  createTestDatabase,
  datasetMembersAddedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { projectBatch } from './project-batch';
import { BatchMaker, projectAtOnce } from './projecting-at-once.testing';
import { replayJournal } from './replay';

// The member issues an audit reads (dataset_member_issues, dataset_version_runs) must come out
// the same whatever order members, trajectories, tasks and tools arrive in, and when two
// projector transactions write the two sides at once, each blind to the other's rows.

const GROUP = 'test-projector';

describe('member issues kept by the projector (real Postgres)', () => {
  let database: TestDatabase;
  let batches: BatchMaker;
  beforeEach(async () => {
    database = await createTestDatabase('member_issues');
    batches = new BatchMaker();
  });
  afterEach(async () => {
    await database.drop();
  });

  const project = async (events: Array<{ subject: string }>) => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await projectBatch(client, GROUP, batches.batchOf(events), { copy: true });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const issues = async () =>
    (
      await database.pool.query<{ issue: string; member_id: string; tool_id: string }>(
        `SELECT issue, member_id, tool_id FROM dataset_member_issues
         ORDER BY issue, member_id COLLATE "C", tool_id COLLATE "C"`,
      )
    ).rows;
  const runs = async () =>
    (
      await database.pool.query<{ synthesis_run_id: string; members: number }>(
        `SELECT synthesis_run_id, members FROM dataset_version_runs ORDER BY synthesis_run_id`,
      )
    ).rows;

  // A version of four trajectories and a prompt set of one task, and what settles them.
  function pipeline() {
    const run = synthesisStartedEvent();
    const runId = run.data.synthesisRunId;
    const registered = toolRegisteredEvent();
    const lateTool = toolRegisteredEvent();
    const neverTool = 'tool-never-registered';
    const trajectory = (passed: boolean, toolIds: string[]) =>
      trajectoryRecordedEvent({
        synthesisRunId: runId,
        judgement: { passed },
        turns: [
          {
            role: 'assistant',
            content: null,
            toolCalls: toolIds.map((toolId) => ({ toolId, arguments: {} })),
          },
        ],
      });
    const good = trajectory(true, [registered.data.toolId]);
    const rejected = trajectory(false, [registered.data.toolId]);
    const callsLate = trajectory(true, [lateTool.data.toolId, neverTool]);
    const neverRecorded = 'trajectory-never-recorded';
    const task = taskDefinedEvent();
    const ids = [good, rejected, callsLate].map((event) => event.data.trajectoryId);
    const members = datasetMembersAddedEvent({
      datasetId: 'sft',
      version: 1,
      memberKind: 'trajectory',
      memberIds: [...ids, neverRecorded],
    });
    const taskMembers = datasetMembersAddedEvent({
      datasetId: 'prompts',
      version: 1,
      memberKind: 'task',
      memberIds: [task.data.taskId],
    });
    const expected = {
      issues: [
        { issue: 'rejected', member_id: rejected.data.trajectoryId, tool_id: '' },
        { issue: 'unknown_trajectory', member_id: neverRecorded, tool_id: '' },
        { issue: 'unregistered_tool', member_id: callsLate.data.trajectoryId, tool_id: neverTool },
      ].sort((a, b) =>
        a.issue === b.issue ? (a.member_id < b.member_id ? -1 : 1) : a.issue < b.issue ? -1 : 1,
      ),
      runs: [{ synthesis_run_id: runId, members: 3 }],
    };
    return {
      catalog: [run, registered],
      trajectories: [good, rejected, callsLate],
      members: [members, taskMembers],
      later: [task, lateTool],
      taskId: task.data.taskId,
      expected,
    };
  }

  it('settles members before their trajectories, tasks and tools, batch by batch', async () => {
    const p = pipeline();
    await project([...p.catalog, ...p.members]);
    expect(await issues()).toContainEqual({
      issue: 'unknown_task',
      member_id: p.taskId,
      tool_id: '',
    });
    await project(p.trajectories);
    await project(p.later);
    expect(await issues()).toEqual(p.expected.issues);
    expect(await runs()).toEqual(p.expected.runs);
  });

  it('settles trajectories before members, and everything in one batch, the same way', async () => {
    const p = pipeline();
    await project([...p.catalog, ...p.trajectories, ...p.later]);
    await project(p.members);
    expect(await issues()).toEqual(p.expected.issues);
    expect(await runs()).toEqual(p.expected.runs);

    await database.drop();
    database = await createTestDatabase('member_issues');
    batches = new BatchMaker();
    const q = pipeline();
    await project([...q.members, ...q.trajectories, ...q.catalog, ...q.later]);
    expect(await issues()).toEqual(q.expected.issues);
  });

  it.each([
    { first: 'members', second: 'trajectories, task and tools' },
    { first: 'trajectories, task and tools', second: 'members' },
  ])(
    'settles two transactions projecting at once, $first first: neither sees the other until its turn',
    async ({ first }) => {
      const p = pipeline();
      await project(p.catalog);
      const sides = {
        members: p.members,
        'trajectories, task and tools': [...p.trajectories, ...p.later],
      };
      const [earlierEvents, laterEvents] =
        first === 'members'
          ? [sides.members, sides['trajectories, task and tools']]
          : [sides['trajectories, task and tools'], sides.members];
      await projectAtOnce(database.pool, batches, earlierEvents, laterEvents);
      expect(await issues()).toEqual(p.expected.issues);
      expect(await runs()).toEqual(p.expected.runs);
    },
  );

  it('rebuilds the same issues on replay', async () => {
    const p = pipeline();
    await project([...p.catalog, ...p.members]);
    await project(p.trajectories);
    await project(p.later);
    const before = { issues: await issues(), runs: await runs() };
    await replayJournal(database.pool, { copy: true });
    expect({ issues: await issues(), runs: await runs() }).toEqual(before);
    expect(before.issues).toEqual(p.expected.issues);
  });
});
