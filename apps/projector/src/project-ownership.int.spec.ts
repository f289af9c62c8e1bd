import { inTransaction } from '@tracker/read-model';
import {
  agentDefinedEvent,
  checkpointSavedEvent,
  createTestDatabase,
  criticComparedEvent,
  criticUpdatedEvent,
  datasetMembersAddedEvent,
  evaluationRecordedEvent,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { projectBatch } from './project-batch';
import { BatchMaker } from './projecting-at-once.testing';

// Which project each entity belongs to (docs/access.md): tracker_projects_of, the one rule
// the API's checks, the ingest and the projector's PROJECTOR_ALLOWED_PROJECTS rely on.

describe('tracker_projects_of (real Postgres, projected events)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('ownership');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('gives runs their project, what hangs off them theirs, catalog entities none, the unknown null', async () => {
    const run = rlStartedEvent({ project: 'alpha' });
    const R = run.data.rlRunId;
    const checkpoint = checkpointSavedEvent({ rlRunId: R });
    const rollout = rolloutCompletedEvent({ rlRunId: R });
    const reward = rewardAssignedEvent({ rlRunId: R, rolloutId: rollout.data.rolloutId });
    const comparison = criticComparedEvent({ rlRunId: R });
    const critic = criticUpdatedEvent({ rlRunId: R });
    const evaluation = evaluationRecordedEvent({ checkpointId: checkpoint.data.checkpointId });
    const synthesis = synthesisStartedEvent({ project: 'beta' });
    const S = synthesis.data.synthesisRunId;
    const agent = agentDefinedEvent({ synthesisRunId: S });
    const task = taskDefinedEvent({ agentId: agent.data.agentId });
    const catalogAgent = agentDefinedEvent({ synthesisRunId: undefined });
    const catalogTask = taskDefinedEvent({ agentId: undefined });
    const trajectory = trajectoryRecordedEvent({ synthesisRunId: S });
    const tool = toolRegisteredEvent();
    const notStarted = rewardAssignedEvent(); // its run has no rl.started
    const mixed = datasetMembersAddedEvent({
      datasetId: 'mixed',
      version: 1,
      memberKind: 'task',
      memberIds: [task.data.taskId, catalogTask.data.taskId],
    });
    const events = [
      run,
      checkpoint,
      rollout,
      reward,
      comparison,
      critic,
      evaluation,
      synthesis,
      agent,
      task,
      catalogAgent,
      catalogTask,
      trajectory,
      tool,
      notStarted,
      mixed,
    ];
    await inTransaction(database.pool, (client) =>
      projectBatch(client, 'ownership', new BatchMaker().batchOf(events), { copy: true }),
    );
    const refs: Array<[string, string, string[] | null]> = [
      ['rl_run', R, ['alpha']],
      ['checkpoint', checkpoint.data.checkpointId, ['alpha']],
      ['rollout', rollout.data.rolloutId, ['alpha']],
      ['reward', reward.data.rewardId, ['alpha']],
      ['comparison', comparison.data.comparisonId, ['alpha']],
      ['critic_version', critic.data.criticVersionId, ['alpha']],
      ['evaluation', evaluation.data.evaluationId, ['alpha']],
      ['synthesis_run', S, ['beta']],
      ['trajectory', trajectory.data.trajectoryId, ['beta']],
      ['agent', agent.data.agentId, ['beta']],
      ['task', task.data.taskId, ['beta']],
      ['agent', catalogAgent.data.agentId, []],
      ['task', catalogTask.data.taskId, []],
      ['tool', tool.data.toolId, []],
      ['verifier', 'math-verify@1.0.0', []],
      ['dataset_version', 'mixed@1', ['beta']],
      ['dataset', 'mixed', ['beta']],
      ['reward', notStarted.data.rewardId, null],
      ['rl_run', notStarted.data.rlRunId, null],
      ['rollout', 'no-such-rollout', null],
    ];
    const { rows } = await database.pool.query<{ projects: string[] | null }>(
      `SELECT tracker_projects_of(kind, id) AS projects
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS ref (kind, id, n) ORDER BY n`,
      [refs.map(([kind]) => kind), refs.map(([, id]) => id)],
    );
    expect(refs.map(([kind, id], index) => [kind, id, rows[index].projects])).toEqual(refs);
  });
});
