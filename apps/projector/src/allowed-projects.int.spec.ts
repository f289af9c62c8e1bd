import { inTransaction } from '@tracker/read-model';
import {
  checkpointSavedEvent,
  createTestDatabase,
  evaluationRecordedEvent,
  rewardAssignedEvent,
  rlStartedEvent,
  synthesisStartedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type AnyWireEvent,
  type TestDatabase,
} from '@tracker/testing';
import { projectBatch } from './project-batch';
import { BatchMaker } from './projecting-at-once.testing';

// PROJECTOR_ALLOWED_PROJECTS: a topic's producers may write its topic (Kafka ACLs), not choose
// any project. Events of other projects go to the dead letters; nothing of them is projected.

describe('projector with allowed projects (real Postgres)', () => {
  let database: TestDatabase;
  const batches = new BatchMaker();
  const project = (events: AnyWireEvent[], allowedProjects: string[] | null) =>
    inTransaction(database.pool, (client) =>
      projectBatch(client, 'test-projector', batches.batchOf(events), {
        copy: true,
        allowedProjects,
      }),
    );

  beforeAll(async () => {
    database = await createTestDatabase('allowed_projects');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('dead-letters runs started in other projects and events of runs known to be of one', async () => {
    // Projected earlier by a projector of every project: a beta run and its checkpoint.
    const betaRun = rlStartedEvent({ project: 'beta' });
    const betaCheckpoint = checkpointSavedEvent({ rlRunId: betaRun.data.rlRunId });
    await project([betaRun, betaCheckpoint], null);

    const alphaRun = rlStartedEvent({ project: 'alpha' });
    const alphaReward = rewardAssignedEvent({ rlRunId: alphaRun.data.rlRunId });
    const gammaRun = rlStartedEvent({ project: 'gamma' });
    const gammaReward = rewardAssignedEvent({ rlRunId: gammaRun.data.rlRunId }); // same batch
    const intoBeta = rewardAssignedEvent({ rlRunId: betaRun.data.rlRunId });
    const betaEvaluation = evaluationRecordedEvent({
      checkpointId: betaCheckpoint.data.checkpointId,
    });
    const gammaSynthesis = synthesisStartedEvent({ project: 'gamma' });
    const gammaTrajectory = trajectoryRecordedEvent({
      synthesisRunId: gammaSynthesis.data.synthesisRunId,
    });
    const notStartedYet = rewardAssignedEvent(); // its run's started event will decide
    const catalog = toolRegisteredEvent();
    const outcome = await project(
      [
        alphaRun,
        alphaReward,
        gammaRun,
        gammaReward,
        intoBeta,
        betaEvaluation,
        gammaSynthesis,
        gammaTrajectory,
        notStartedYet,
        catalog,
      ],
      ['alpha', 'default'],
    );
    expect(outcome).toMatchObject({ projected: 4, deadLettered: 6 });

    const { rows: dead } = await database.pool.query(
      'SELECT event_id, stage, reason FROM dead_letters ORDER BY log_offset',
    );
    const allowed = 'is not one of PROJECTOR_ALLOWED_PROJECTS (alpha, default)';
    expect(dead).toEqual([
      { event_id: gammaRun.id, stage: 'project', reason: `project "gamma" ${allowed}` },
      {
        event_id: gammaReward.id,
        stage: 'project',
        reason: `project "gamma" (of rl_run ${gammaRun.data.rlRunId}) ${allowed}`,
      },
      {
        event_id: intoBeta.id,
        stage: 'project',
        reason: `project "beta" (of rl_run ${betaRun.data.rlRunId}) ${allowed}`,
      },
      {
        event_id: betaEvaluation.id,
        stage: 'project',
        reason: `project "beta" (of checkpoint ${betaCheckpoint.data.checkpointId}) ${allowed}`,
      },
      { event_id: gammaSynthesis.id, stage: 'project', reason: `project "gamma" ${allowed}` },
      {
        event_id: gammaTrajectory.id,
        stage: 'project',
        reason: `project "gamma" (of synthesis_run ${gammaSynthesis.data.synthesisRunId}) ${allowed}`,
      },
    ]);
    const { rows: journaled } = await database.pool.query(
      'SELECT event_id FROM event_journal WHERE event_id = ANY($1)',
      [
        [alphaRun, alphaReward, notStartedYet, catalog, gammaRun, intoBeta].map(
          (event) => event.id,
        ),
      ],
    );
    expect(journaled.map((row) => row.event_id).sort()).toEqual(
      [alphaRun.id, alphaReward.id, notStartedYet.id, catalog.id].sort(),
    );
    const { rows: rewards } = await database.pool.query(
      'SELECT reward_id FROM rewards WHERE rl_run_id = $1',
      [betaRun.data.rlRunId],
    );
    expect(rewards).toEqual([]);
  });
});
