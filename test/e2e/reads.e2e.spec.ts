import { loadConfig } from '@tracker/config';
import { datasetContentHash } from '@tracker/events';
import { DATABASE } from '@tracker/platform';
import type { Database } from '@tracker/read-model';
import {
  agentDefinedEvent,
  checkpointSavedEvent,
  createTestDatabase,
  criticComparedEvent,
  criticUpdatedEvent,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  evaluationRecordedEvent,
  expectEventually,
  freshId,
  graphql,
  graphqlRaw,
  rewardAssignedEvent,
  rlFinishedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  toolRegisteredEvent,
  trajectoryRecordedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';

// The read side over HTTP: events go in through POST /v1/events, the projector (embedded log)
// applies them, and every assertion reads GraphQL answers of the booted tracker.

const POSITION = expect.stringMatching(/^\d+$/);
const TIMESTAMP = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** What the tests need of a wire event of any type. */
interface SentEvent {
  id: string;
  type: string;
  subject: string;
  source: string;
  time: string;
}

const ids = (connection: { edges: Array<{ node: { id: string } }> }) =>
  connection.edges.map((edge) => edge.node.id);

describe('GraphQL reads', () => {
  let database: TestDatabase;
  let tracker: RunningTracker;
  /** Events the log accepted in this suite (all have distinct ids). */
  let accepted = 0;

  beforeAll(async () => {
    database = await createTestDatabase('reads');
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn' });
    tracker = await startTracker(config, { api: true, projector: true });
  });
  afterAll(async () => {
    await tracker?.close();
    await database?.drop();
  });

  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => graphql<Data>(tracker.url!, query, variables);

  async function send(events: readonly SentEvent[]): Promise<void> {
    const response = await fetch(`${tracker.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: events.length, rejected: [] });
    accepted += events.length;
  }

  /** Waits until the journal has `event`; events sent before it in one request are then applied too. */
  async function projected(event: SentEvent): Promise<void> {
    await expectEventually(async () => {
      const data = await gql(`query($id: ID!) { event(id: $id) { id } }`, { id: event.id });
      expect(data.event).toEqual({ id: event.id });
    });
  }

  describe('a K2 pipeline sent in one request', () => {
    // Synthesis side.
    const domain = freshId('travel');
    const project = freshId('project');
    const unregisteredToolId = freshId('tool-unregistered');
    const unregisteredSeedId = freshId('tool-seed-unregistered');
    const seedTool = toolRegisteredEvent({ description: 'Searches flights', domain });
    const evolvedTool = toolRegisteredEvent({
      name: 'search_flights_flexible',
      description: undefined,
      source: 'synthetic',
      origin: undefined,
      evolvedFrom: [seedTool.data.toolId, unregisteredSeedId],
      domain,
      inputSchema: {
        type: 'object',
        properties: { from: { type: 'string' }, flexibleDays: { type: 'integer' } },
      },
    });
    const seedId = seedTool.data.toolId;
    const evolvedId = evolvedTool.data.toolId;
    const synthesisStarted = synthesisStartedEvent({
      project,
      name: 'travel synthesis',
      config: { temperature: 0.7 },
    });
    const synthesisRunId = synthesisStarted.data.synthesisRunId;
    const agent = agentDefinedEvent({
      toolIds: [seedId, evolvedId, unregisteredToolId],
      synthesisRunId,
    });
    const agentId = agent.data.agentId;
    const task = taskDefinedEvent({ agentId, domain });
    const taskId = task.data.taskId;
    const trajectory = trajectoryRecordedEvent({
      synthesisRunId,
      taskId,
      agentId,
      turns: [
        { role: 'system', content: 'You are a travel assistant.' },
        { role: 'user', content: 'Find me a flight to Lima.' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { toolId: seedId, arguments: { to: 'LIM' }, result: { flights: 3 } },
            {
              toolId: unregisteredToolId,
              arguments: { query: 'LIM' },
              error: { message: 'timeout' },
            },
          ],
        },
        { role: 'tool', content: '3 flights' },
        { role: 'assistant', content: 'I found 3 flights.' },
      ],
      judgement: {
        passed: true,
        score: 0.9,
        criteria: [{ id: 'books_cheapest', passed: true }],
        judge: { model: 'k2-judge' },
      },
    });
    const rejectedTrajectory = trajectoryRecordedEvent({
      synthesisRunId,
      taskId,
      agentId,
      turns: [
        { role: 'user', content: 'Anything to Oslo?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { toolId: evolvedId, arguments: {} },
            { toolId: seedId, arguments: { to: 'OSL' } },
          ],
        },
      ],
      judgement: { passed: false },
    });
    const synthesisCompleted = synthesisCompletedEvent({ synthesisRunId, status: 'succeeded' });
    const datasetId = freshId('sft-core');
    const neverRecordedId = freshId('trajectory-never-recorded');
    const memberIds = [
      trajectory.data.trajectoryId,
      rejectedTrajectory.data.trajectoryId,
      neverRecordedId,
    ];
    const membersAdded = datasetMembersAddedEvent({
      datasetId,
      version: 3,
      memberKind: 'trajectory',
      memberIds,
    });
    const sealed = datasetSealedEvent({
      datasetId,
      version: 3,
      memberIds,
      purpose: 'sft',
      description: 'core tool use',
    });
    const lateMemberId = freshId('trajectory-late');
    const lateMembers = datasetMembersAddedEvent({
      datasetId,
      version: 3,
      memberKind: 'trajectory',
      memberIds: [lateMemberId],
    });

    // RL side.
    const baseCheckpoint = checkpointSavedEvent({
      rlRunId: freshId('rl-sft'),
      step: 5000,
      uri: 's3://checkpoints/sft',
    });
    const baseCheckpointId = baseCheckpoint.data.checkpointId;
    const rlRunId = freshId('rl');
    const criticV1Id = freshId('critic');
    const criticV2Id = freshId('critic');
    const unknownDataset = { datasetId: freshId('dataset-unknown'), version: 1 };
    const rlStarted = rlStartedEvent({
      rlRunId,
      project,
      name: 'k2 rl',
      policy: { model: 'k2-sft', baseCheckpointId },
      datasets: [{ datasetId, version: 3 }, unknownDataset],
      criticVersionId: criticV1Id,
      config: { learningRate: 1e-6 },
    });
    const checkpoint1 = checkpointSavedEvent({
      rlRunId,
      step: 100,
      uri: 's3://checkpoints/100',
      parentCheckpointId: baseCheckpointId,
    });
    const checkpoint2 = checkpointSavedEvent({
      rlRunId,
      step: 200,
      uri: 's3://checkpoints/200',
      parentCheckpointId: checkpoint1.data.checkpointId,
    });
    const rollout1 = rolloutCompletedEvent({
      rlRunId,
      step: 100,
      taskId,
      policyCheckpointId: checkpoint1.data.checkpointId,
    });
    const rollout2 = rolloutCompletedEvent({
      rlRunId,
      step: 100,
      taskId,
      groupId: rollout1.data.groupId,
      policyCheckpointId: checkpoint1.data.checkpointId,
      gym: { template: 'creative-writing', domain: 'creative_writing' },
      finishReason: 'length',
    });
    const rollout3 = rolloutCompletedEvent({
      rlRunId,
      step: 200,
      taskId,
      policyCheckpointId: checkpoint2.data.checkpointId,
      finishReason: 'stop',
      partialOf: rollout2.data.rolloutId,
    });
    const verifiableReward = rewardAssignedEvent({
      rolloutId: rollout1.data.rolloutId,
      rlRunId,
      step: 100,
      domain: 'math',
      value: 1,
      verifier: { name: 'math-verify', version: '1.3' },
      hackCheck: { flagged: false },
    });
    const criticReward = rewardAssignedEvent({
      rolloutId: rollout2.data.rolloutId,
      rlRunId,
      step: 100,
      kind: 'self_critic',
      domain: 'creative_writing',
      value: 0.75,
      verifier: undefined,
      criticVersionId: criticV1Id,
      rubricIds: ['core.clarity_relevance'],
      hackCheck: undefined,
    });
    const comparison = criticComparedEvent({
      rlRunId,
      step: 100,
      criticVersionId: criticV1Id,
      rolloutIds: [rollout1.data.rolloutId, rollout2.data.rolloutId],
      preferredRolloutId: rollout2.data.rolloutId,
    });
    const criticV1 = criticUpdatedEvent({ criticVersionId: criticV1Id, rlRunId, step: 100 });
    const criticV2 = criticUpdatedEvent({
      criticVersionId: criticV2Id,
      parentCriticVersionId: criticV1Id,
      rlRunId,
      step: 200,
      rolloutCount: 1024,
      agreement: [
        { domain: 'math', accuracy: 0.9, samples: 300 },
        { domain: 'coding', accuracy: 0.75, samples: 100 },
      ],
    });
    const rlFinished = rlFinishedEvent({
      rlRunId,
      status: 'succeeded',
      finalCheckpointId: checkpoint2.data.checkpointId,
    });
    const evaluation = evaluationRecordedEvent({
      checkpointId: checkpoint2.data.checkpointId,
      benchmark: 'AIME25',
      metric: 'avg@4',
      value: 0.49,
      samples: 30,
    });

    const events: SentEvent[] = [
      seedTool,
      evolvedTool,
      synthesisStarted,
      agent,
      task,
      trajectory,
      rejectedTrajectory,
      synthesisCompleted,
      membersAdded,
      sealed,
      lateMembers,
      baseCheckpoint,
      rlStarted,
      checkpoint1,
      checkpoint2,
      rollout1,
      rollout2,
      rollout3,
      verifiableReward,
      criticReward,
      comparison,
      criticV1,
      criticV2,
      rlFinished,
      evaluation,
    ];

    beforeAll(async () => {
      await send(events);
      await projected(events.at(-1)!);
    });

    it('journals all 16 event types, each with its envelope as received', async () => {
      expect(new Set(events.map((event) => event.type)).size).toBe(16);
      const fields =
        'id type subject source time schemaVersion envelope topic partition offset loggedAt projectedAt position';
      const query = `{ ${events.map((event, index) => `e${index}: event(id: "${event.id}") { ${fields} }`).join(' ')} }`;
      const data = await gql(query);
      events.forEach((event, index) => {
        expect(data[`e${index}`]).toEqual({
          id: event.id,
          type: event.type,
          subject: event.subject,
          source: event.source,
          time: event.time,
          schemaVersion: 1,
          envelope: JSON.parse(JSON.stringify(event)),
          topic: 'embedded',
          partition: 0,
          offset: POSITION,
          loggedAt: TIMESTAMP,
          projectedAt: TIMESTAMP,
          position: POSITION,
        });
      });
      const positions = events.map((_, index) => BigInt(data[`e${index}`].position));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));

      const byRun = await gql(
        `query($subject: String!) { events(subject: $subject, first: 100) { edges { node { id type } } } }`,
        {
          subject: `rl:${rlRunId}`,
        },
      );
      expect(byRun.events.edges.map((edge: any) => edge.node)).toEqual(
        events
          .filter((event) => event.subject === `rl:${rlRunId}`)
          .map((event) => ({ id: event.id, type: event.type })),
      );
      const rewards = await gql(
        `query($subject: String!) { events(subject: $subject, type: "reward.assigned") { edges { node { id } } } }`,
        {
          subject: `rl:${rlRunId}`,
        },
      );
      expect(ids(rewards.events)).toEqual([verifiableReward.id, criticReward.id]);
    });

    it('tool.registered: tools with their evolution and the agents using them', async () => {
      const data = await gql(
        `query($seed: ID!, $evolved: ID!) {
          seed: tool(id: $seed) { id name description source origin evolvedFromIds domain inputSchema registeredAt position
            evolvedFrom { id } evolvedInto { id name } usedByAgents { id } }
          evolved: tool(id: $evolved) { id name description source origin evolvedFromIds domain inputSchema registeredAt position
            evolvedFrom { id } evolvedInto { id } usedByAgents { id } }
          missing: tool(id: "no-such-tool") { id }
        }`,
        { seed: seedId, evolved: evolvedId },
      );
      expect(data.seed).toEqual({
        id: seedId,
        name: 'search_flights',
        description: 'Searches flights',
        source: 'mcp',
        origin: 'mcp://travel-server',
        evolvedFromIds: [],
        domain,
        inputSchema: seedTool.data.inputSchema,
        registeredAt: seedTool.time,
        position: POSITION,
        evolvedFrom: [],
        evolvedInto: [{ id: evolvedId, name: 'search_flights_flexible' }],
        usedByAgents: [{ id: agentId }],
      });
      expect(data.evolved).toEqual({
        id: evolvedId,
        name: 'search_flights_flexible',
        description: null,
        source: 'synthetic',
        origin: null,
        evolvedFromIds: [seedId, unregisteredSeedId],
        domain,
        inputSchema: evolvedTool.data.inputSchema,
        registeredAt: evolvedTool.time,
        position: POSITION,
        evolvedFrom: [{ id: seedId }],
        evolvedInto: [],
        usedByAgents: [{ id: agentId }],
      });
      expect(data.missing).toBeNull();
      const lists = await gql(
        `query($domain: String!) {
        all: tools(domain: $domain) { edges { node { id } } }
        synthetic: tools(domain: $domain, source: "synthetic") { edges { node { id } } }
      }`,
        { domain },
      );
      expect(ids(lists.all)).toEqual([seedId, evolvedId]);
      expect(ids(lists.synthetic)).toEqual([evolvedId]);
    });

    it('agent.defined and task.defined: agents with tools, tasks and run; tasks with rubric and agent', async () => {
      const data = await gql(
        `query($agent: ID!, $task: ID!) {
          agent(id: $agent) { id systemPrompt toolIds synthesisRunId definedAt position tools { id } tasks { id } synthesisRun { id } }
          task(id: $task) { id agentId prompt rubric { criteria { id description } } domain difficulty definedAt position agent { id } datasets { datasetId } }
        }`,
        { agent: agentId, task: taskId },
      );
      expect(data.agent).toEqual({
        id: agentId,
        systemPrompt: 'You are a travel assistant.',
        toolIds: [seedId, evolvedId, unregisteredToolId],
        synthesisRunId,
        definedAt: agent.time,
        position: POSITION,
        tools: [{ id: seedId }, { id: evolvedId }],
        tasks: [{ id: taskId }],
        synthesisRun: { id: synthesisRunId },
      });
      expect(data.task).toEqual({
        id: taskId,
        agentId,
        prompt: task.data.prompt,
        rubric: { criteria: [{ id: 'books_cheapest', description: 'books the cheapest fare' }] },
        domain,
        difficulty: 0.4,
        definedAt: task.time,
        position: POSITION,
        agent: { id: agentId },
        datasets: [],
      });
      const lists = await gql(
        `query($run: ID!, $agent: ID!, $domain: String!) {
        agents(synthesisRunId: $run) { edges { node { id } } }
        tasks(agentId: $agent, domain: $domain) { edges { node { id } } }
        otherDomain: tasks(agentId: $agent, domain: "elsewhere") { edges { node { id } } }
      }`,
        { run: synthesisRunId, agent: agentId, domain },
      );
      expect(ids(lists.agents)).toEqual([agentId]);
      expect(ids(lists.tasks)).toEqual([taskId]);
      expect(ids(lists.otherDomain)).toEqual([]);
    });

    it('synthesis.started and synthesis.completed: one run with its status and trajectories', async () => {
      const data = await gql(
        `query($id: ID!, $project: String!) {
          synthesisRun(id: $id) { id project name generatorModel config status startedAt completedAt position
            trajectories { edges { node { id } } } passed: trajectories(passed: true) { edges { node { id } } } }
          synthesisRuns(project: $project) { edges { node { id } } }
        }`,
        { id: synthesisRunId, project },
      );
      expect(data.synthesisRun).toEqual({
        id: synthesisRunId,
        project,
        name: 'travel synthesis',
        generatorModel: 'k2-base',
        config: { temperature: 0.7 },
        status: 'succeeded',
        startedAt: synthesisStarted.time,
        completedAt: synthesisCompleted.time,
        position: POSITION,
        trajectories: {
          edges: [
            { node: { id: trajectory.data.trajectoryId } },
            { node: { id: rejectedTrajectory.data.trajectoryId } },
          ],
        },
        passed: { edges: [{ node: { id: trajectory.data.trajectoryId } }] },
      });
      expect(ids(data.synthesisRuns)).toEqual([synthesisRunId]);
    });

    it('trajectory.recorded: turns, judgement, and its task, agent, tools, synthesis run and datasets', async () => {
      const data = await gql(
        `query($id: ID!) { trajectory(id: $id) {
          id synthesisRunId taskId agentId turnCount calledToolIds passed recordedAt position
          turns { role content toolCalls { toolId tool { id name } arguments result error } }
          judgement { passed score criteria { id passed } judgeModel }
          task { id prompt } agent { id } synthesisRun { id status } calledTools { id } datasets { datasetId version }
        } }`,
        { id: trajectory.data.trajectoryId },
      );
      expect(data.trajectory).toEqual({
        id: trajectory.data.trajectoryId,
        synthesisRunId,
        taskId,
        agentId,
        turnCount: 5,
        calledToolIds: [seedId, unregisteredToolId],
        passed: true,
        recordedAt: trajectory.time,
        position: POSITION,
        turns: [
          { role: 'system', content: 'You are a travel assistant.', toolCalls: [] },
          { role: 'user', content: 'Find me a flight to Lima.', toolCalls: [] },
          {
            role: 'assistant',
            content: null,
            toolCalls: [
              {
                toolId: seedId,
                tool: { id: seedId, name: 'search_flights' },
                arguments: { to: 'LIM' },
                result: { flights: 3 },
                error: null,
              },
              {
                toolId: unregisteredToolId,
                tool: null,
                arguments: { query: 'LIM' },
                result: null,
                error: { message: 'timeout' },
              },
            ],
          },
          { role: 'tool', content: '3 flights', toolCalls: [] },
          { role: 'assistant', content: 'I found 3 flights.', toolCalls: [] },
        ],
        judgement: {
          passed: true,
          score: 0.9,
          criteria: [{ id: 'books_cheapest', passed: true }],
          judgeModel: 'k2-judge',
        },
        task: { id: taskId, prompt: task.data.prompt },
        agent: { id: agentId },
        synthesisRun: { id: synthesisRunId, status: 'succeeded' },
        calledTools: [{ id: seedId }],
        datasets: [{ datasetId, version: 3 }],
      });
      const rejected = await gql(
        `query($id: ID!) { trajectory(id: $id) { passed judgement { passed score criteria { id } judgeModel } calledToolIds } }`,
        {
          id: rejectedTrajectory.data.trajectoryId,
        },
      );
      expect(rejected.trajectory).toEqual({
        passed: false,
        judgement: { passed: false, score: null, criteria: [], judgeModel: null },
        calledToolIds: [evolvedId, seedId],
      });
      const lists = await gql(
        `query($run: ID!, $task: ID!, $agent: ID!) {
        all: trajectories(synthesisRunId: $run, taskId: $task, agentId: $agent) { edges { node { id } } }
        failed: trajectories(synthesisRunId: $run, passed: false) { edges { node { id } } }
      }`,
        { run: synthesisRunId, task: taskId, agent: agentId },
      );
      expect(ids(lists.all)).toEqual([
        trajectory.data.trajectoryId,
        rejectedTrajectory.data.trajectoryId,
      ]);
      expect(ids(lists.failed)).toEqual([rejectedTrajectory.data.trajectoryId]);
    });

    it('dataset.members.added and dataset.sealed: the version, its seal, members, findings and trainers', async () => {
      const fields = `datasetId version memberKind memberCount computedContentHash sealed sealedMemberCount sealedContentHash
        contentHashMatches purpose description sealedAt createdAt position
        findings { finding memberIds detail eventId position } trainedBy { id }`;
      const data = await gql(
        `query($id: ID!) { datasetVersion(datasetId: $id, version: 3) { ${fields} } }`,
        { id: datasetId },
      );
      const hash = datasetContentHash(memberIds);
      expect(data.datasetVersion).toEqual({
        datasetId,
        version: 3,
        memberKind: 'trajectory',
        memberCount: 3,
        computedContentHash: hash,
        sealed: true,
        sealedMemberCount: 3,
        sealedContentHash: hash,
        contentHashMatches: true,
        purpose: 'sft',
        description: 'core tool use',
        sealedAt: sealed.time,
        createdAt: membersAdded.time,
        position: POSITION,
        findings: [
          {
            finding: 'added_after_seal',
            memberIds: [lateMemberId],
            detail: '1 member(s) arrived after version 3 was sealed and were not added',
            eventId: lateMembers.id,
            position: POSITION,
          },
        ],
        trainedBy: [{ id: rlRunId }],
      });
      const absent = await gql(
        `query($id: ID!) { datasetVersion(datasetId: $id, version: 4) { datasetId } }`,
        { id: datasetId },
      );
      expect(absent.datasetVersion).toBeNull();
      const lists = await gql(
        `query($id: ID!) {
        sealed: datasetVersions(datasetId: $id, sealed: true) { edges { node { datasetId version } } }
        open: datasetVersions(datasetId: $id, sealed: false) { edges { node { datasetId version } } }
      }`,
        { id: datasetId },
      );
      expect(lists.sealed.edges).toEqual([{ node: { datasetId, version: 3 } }]);
      expect(lists.open.edges).toEqual([]);
    });

    it('pages through the members of a version (all added by one event) and resolves each member', async () => {
      const query = `query($id: ID!, $after: String) { datasetVersion(datasetId: $id, version: 3) {
        members(first: 2, after: $after) {
          edges { cursor node { memberId memberKind addedByEventId addedByEvent { type source } trajectory { id passed } task { id } } }
          pageInfo { hasNextPage hasPreviousPage endCursor }
        } } }`;
      // One event added them all: they share a position and are ordered by id (code points).
      const sorted = [...memberIds].sort();
      const member = (memberId: string) => ({
        memberId,
        memberKind: 'trajectory',
        addedByEventId: membersAdded.id,
        addedByEvent: { type: 'dataset.members.added', source: membersAdded.source },
        trajectory:
          memberId === neverRecordedId
            ? null
            : { id: memberId, passed: memberId === trajectory.data.trajectoryId },
        task: null,
      });
      const first = (await gql(query, { id: datasetId })).datasetVersion.members;
      expect(first.edges.map((edge: any) => edge.node)).toEqual(sorted.slice(0, 2).map(member));
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = (await gql(query, { id: datasetId, after: first.pageInfo.endCursor }))
        .datasetVersion.members;
      expect(second.edges.map((edge: any) => edge.node)).toEqual(sorted.slice(2).map(member));
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      // A cursor of another list is not a member cursor.
      const wrong = await graphqlRaw(tracker.url!, query, {
        id: datasetId,
        after: first.pageInfo.endCursor.slice(1),
      });
      expect(wrong.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      const position = await graphqlRaw(tracker.url!, query, {
        id: datasetId,
        after: Buffer.from('position:1').toString('base64url'),
      });
      expect(position.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
    });

    it('answers which tools were called in the trajectories of a dataset version', async () => {
      const data = await gql(
        `query($id: ID!) { datasetVersion(datasetId: $id, version: 3) { calledTools { id name } calledToolIds } }`,
        {
          id: datasetId,
        },
      );
      // Distinct over both recorded members; the never-recorded member adds nothing.
      expect(data.datasetVersion.calledToolIds).toEqual(
        [seedId, evolvedId, unregisteredToolId].sort(),
      );
      expect(data.datasetVersion.calledTools).toEqual(
        [
          { id: seedId, name: 'search_flights' },
          { id: evolvedId, name: 'search_flights_flexible' },
        ].sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
    });

    it('rl.started and rl.finished: the run with its checkpoints, dataset versions and critic versions', async () => {
      const data = await gql(
        `query($id: ID!, $project: String!) {
          rlRun(id: $id) { id project name policyModel baseCheckpointId datasets { datasetId version } criticVersionId config status
            finalCheckpointId startedAt finishedAt position
            baseCheckpoint { id step } finalCheckpoint { id step } datasetVersions { datasetId version sealed }
            criticVersion { id } criticVersions { id } checkpoints { edges { node { id } } } }
          rlRuns(project: $project) { edges { node { id } } }
        }`,
        { id: rlRunId, project },
      );
      expect(data.rlRun).toEqual({
        id: rlRunId,
        project,
        name: 'k2 rl',
        policyModel: 'k2-sft',
        baseCheckpointId,
        datasets: [{ datasetId, version: 3 }, unknownDataset],
        criticVersionId: criticV1Id,
        config: { learningRate: 1e-6 },
        status: 'succeeded',
        finalCheckpointId: checkpoint2.data.checkpointId,
        startedAt: rlStarted.time,
        finishedAt: rlFinished.time,
        position: POSITION,
        baseCheckpoint: { id: baseCheckpointId, step: 5000 },
        finalCheckpoint: { id: checkpoint2.data.checkpointId, step: 200 },
        // The unknown dataset ref stays in `datasets` only.
        datasetVersions: [{ datasetId, version: 3, sealed: true }],
        criticVersion: { id: criticV1Id },
        criticVersions: [{ id: criticV1Id }, { id: criticV2Id }],
        checkpoints: {
          edges: [
            { node: { id: checkpoint1.data.checkpointId } },
            { node: { id: checkpoint2.data.checkpointId } },
          ],
        },
      });
      expect(ids(data.rlRuns)).toEqual([rlRunId]);
    });

    it("checkpoint.saved and evaluation.recorded: a checkpoint's run, parent chain, children and evaluations", async () => {
      const data = await gql(
        `query($id: ID!, $evaluation: ID!, $run: ID!) {
          checkpoint(id: $id) { id rlRunId step uri parentCheckpointId savedAt position
            run { id } parent { id parent { id parent { id } } } children { id } evaluations { id } }
          evaluation(id: $evaluation) { id checkpointId benchmark metric value samples recordedAt position checkpoint { id step } }
          checkpoints(rlRunId: $run) { edges { node { id } } }
          evaluations(checkpointId: $id, benchmark: "AIME25") { edges { node { id } } }
          otherBenchmark: evaluations(checkpointId: $id, benchmark: "tau2-bench") { edges { node { id } } }
        }`,
        {
          id: checkpoint2.data.checkpointId,
          evaluation: evaluation.data.evaluationId,
          run: rlRunId,
        },
      );
      expect(data.checkpoint).toEqual({
        id: checkpoint2.data.checkpointId,
        rlRunId,
        step: 200,
        uri: 's3://checkpoints/200',
        parentCheckpointId: checkpoint1.data.checkpointId,
        savedAt: checkpoint2.time,
        position: POSITION,
        run: { id: rlRunId },
        parent: {
          id: checkpoint1.data.checkpointId,
          parent: { id: baseCheckpointId, parent: null },
        },
        children: [],
        evaluations: [{ id: evaluation.data.evaluationId }],
      });
      expect(data.evaluation).toEqual({
        id: evaluation.data.evaluationId,
        checkpointId: checkpoint2.data.checkpointId,
        benchmark: 'AIME25',
        metric: 'avg@4',
        value: 0.49,
        samples: 30,
        recordedAt: evaluation.time,
        position: POSITION,
        checkpoint: { id: checkpoint2.data.checkpointId, step: 200 },
      });
      expect(ids(data.checkpoints)).toEqual([
        checkpoint1.data.checkpointId,
        checkpoint2.data.checkpointId,
      ]);
      expect(ids(data.evaluations)).toEqual([evaluation.data.evaluationId]);
      expect(ids(data.otherBenchmark)).toEqual([]);
      const base = await gql(
        `query($id: ID!) { checkpoint(id: $id) { children { id } run { id } } }`,
        { id: baseCheckpointId },
      );
      expect(base.checkpoint).toEqual({
        children: [{ id: checkpoint1.data.checkpointId }],
        run: null,
      });
    });

    it('rollout.completed: rollouts with their task, policy checkpoint, rewards, comparisons and partial chain', async () => {
      const data = await gql(
        `query($first: ID!, $third: ID!) {
          first: rollout(id: $first) { id rlRunId step taskId groupId policyCheckpointId gymTemplate gymDomain promptTokens
            responseTokens numTurns numToolCalls finishReason partialOfId completedAt position
            task { id } policyCheckpoint { id step } rewards { id } comparisons { id } run { id } continues { id } }
          third: rollout(id: $third) { partialOfId continues { id finishReason } policyCheckpoint { id } comparisons { id } }
        }`,
        { first: rollout1.data.rolloutId, third: rollout3.data.rolloutId },
      );
      expect(data.first).toEqual({
        id: rollout1.data.rolloutId,
        rlRunId,
        step: 100,
        taskId,
        groupId: rollout1.data.groupId,
        policyCheckpointId: checkpoint1.data.checkpointId,
        gymTemplate: 'math-verifiable',
        gymDomain: 'math',
        promptTokens: 120,
        responseTokens: 850,
        numTurns: 1,
        numToolCalls: 0,
        finishReason: 'stop',
        partialOfId: null,
        completedAt: rollout1.time,
        position: POSITION,
        task: { id: taskId },
        policyCheckpoint: { id: checkpoint1.data.checkpointId, step: 100 },
        rewards: [{ id: verifiableReward.data.rewardId }],
        comparisons: [{ id: comparison.data.comparisonId }],
        run: { id: rlRunId },
        continues: null,
      });
      expect(data.third).toEqual({
        partialOfId: rollout2.data.rolloutId,
        continues: { id: rollout2.data.rolloutId, finishReason: 'length' },
        policyCheckpoint: { id: checkpoint2.data.checkpointId },
        comparisons: [],
      });
      const byTask = await gql(
        `query($run: ID!, $task: ID!) { rollouts(rlRunId: $run, taskId: $task) { edges { node { id } } } }`,
        {
          run: rlRunId,
          task: taskId,
        },
      );
      expect(ids(byTask.rollouts)).toEqual([
        rollout1.data.rolloutId,
        rollout2.data.rolloutId,
        rollout3.data.rolloutId,
      ]);
    });

    it("reward.assigned: a reward's rollout, verifier, critic version and run", async () => {
      const fields = `id rolloutId rlRunId step kind domain value verifier { name version } criticVersionId rubricIds hackFlagged
        hackReason assignedAt position rollout { id } run { id status } criticVersion { id step }`;
      const data = await gql(
        `query($verifiable: ID!, $critic: ID!) {
        verifiable: reward(id: $verifiable) { ${fields} }
        critic: reward(id: $critic) { ${fields} }
      }`,
        { verifiable: verifiableReward.data.rewardId, critic: criticReward.data.rewardId },
      );
      expect(data.verifiable).toEqual({
        id: verifiableReward.data.rewardId,
        rolloutId: rollout1.data.rolloutId,
        rlRunId,
        step: 100,
        kind: 'verifiable',
        domain: 'math',
        value: 1,
        verifier: { name: 'math-verify', version: '1.3' },
        criticVersionId: null,
        rubricIds: [],
        hackFlagged: false,
        hackReason: null,
        assignedAt: verifiableReward.time,
        position: POSITION,
        rollout: { id: rollout1.data.rolloutId },
        run: { id: rlRunId, status: 'succeeded' },
        criticVersion: null,
      });
      expect(data.critic).toEqual({
        id: criticReward.data.rewardId,
        rolloutId: rollout2.data.rolloutId,
        rlRunId,
        step: 100,
        kind: 'self_critic',
        domain: 'creative_writing',
        value: 0.75,
        verifier: null,
        criticVersionId: criticV1Id,
        rubricIds: ['core.clarity_relevance'],
        hackFlagged: null,
        hackReason: null,
        assignedAt: criticReward.time,
        position: POSITION,
        rollout: { id: rollout2.data.rolloutId },
        run: { id: rlRunId, status: 'succeeded' },
        criticVersion: { id: criticV1Id, step: 100 },
      });
    });

    it('critic.compared and critic.updated: comparisons with their rollouts; critic versions with lineage and agreement', async () => {
      const data = await gql(
        `query($comparison: ID!, $v2: ID!, $v1: ID!, $run: ID!) {
          criticComparison(id: $comparison) { id rlRunId step criticVersionId rolloutIds preferredRolloutId rubricIds rationale comparedAt
            position run { id } criticVersion { id } rollouts { id } preferredRollout { id gymDomain } }
          v2: criticVersion(id: $v2) { id parentCriticVersionId rlRunId step rolloutCount agreement { domain accuracy samples } updatedAt
            position parent { id parent { id } } run { id } comparisons { edges { node { id } } } }
          v1: criticVersion(id: $v1) { comparisons(step: 100) { edges { node { id } } } agreement { domain accuracy samples } rolloutCount }
          criticVersions(rlRunId: $run) { edges { node { id } } }
          atStep100: criticComparisons(rlRunId: $run, criticVersionId: $v1, step: 100) { edges { node { id } } }
          atStep200: criticComparisons(rlRunId: $run, step: 200) { edges { node { id } } }
        }`,
        { comparison: comparison.data.comparisonId, v2: criticV2Id, v1: criticV1Id, run: rlRunId },
      );
      expect(data.criticComparison).toEqual({
        id: comparison.data.comparisonId,
        rlRunId,
        step: 100,
        criticVersionId: criticV1Id,
        rolloutIds: [rollout1.data.rolloutId, rollout2.data.rolloutId],
        preferredRolloutId: rollout2.data.rolloutId,
        rubricIds: ['core.clarity_relevance', 'prescriptive.no_initial_praise'],
        rationale: 'The first answer is direct and correct.',
        comparedAt: comparison.time,
        position: POSITION,
        run: { id: rlRunId },
        criticVersion: { id: criticV1Id },
        rollouts: [{ id: rollout1.data.rolloutId }, { id: rollout2.data.rolloutId }],
        preferredRollout: { id: rollout2.data.rolloutId, gymDomain: 'creative_writing' },
      });
      expect(data.v2).toEqual({
        id: criticV2Id,
        parentCriticVersionId: criticV1Id,
        rlRunId,
        step: 200,
        rolloutCount: 1024,
        agreement: [
          { domain: 'math', accuracy: 0.9, samples: 300 },
          { domain: 'coding', accuracy: 0.75, samples: 100 },
        ],
        updatedAt: criticV2.time,
        position: POSITION,
        parent: { id: criticV1Id, parent: null },
        run: { id: rlRunId },
        comparisons: { edges: [] },
      });
      expect(data.v1).toEqual({
        comparisons: { edges: [{ node: { id: comparison.data.comparisonId } }] },
        agreement: [{ domain: 'math', accuracy: 0.82, samples: 256 }],
        rolloutCount: 512,
      });
      expect(ids(data.criticVersions)).toEqual([criticV1Id, criticV2Id]);
      expect(ids(data.atStep100)).toEqual([comparison.data.comparisonId]);
      expect(ids(data.atStep200)).toEqual([]);
    });
  });

  describe('out-of-order arrival', () => {
    it('keeps a reward that arrives before its rollout and links it when the rollout comes', async () => {
      const rollout = rolloutCompletedEvent();
      const reward = rewardAssignedEvent({
        rolloutId: rollout.data.rolloutId,
        rlRunId: rollout.data.rlRunId,
        step: rollout.data.step,
      });
      await send([reward]);
      const query = `query($reward: ID!, $rollout: ID!) {
        reward(id: $reward) { id rollout { id rewards { id } } }
        rollout(id: $rollout) { id }
        rewards(rolloutId: $rollout) { edges { node { id } } }
      }`;
      const variables = { reward: reward.data.rewardId, rollout: rollout.data.rolloutId };
      await expectEventually(async () => {
        const data = await gql(query, variables);
        expect(data).toEqual({
          reward: { id: reward.data.rewardId, rollout: null },
          rollout: null,
          rewards: { edges: [{ node: { id: reward.data.rewardId } }] },
        });
      });
      await send([rollout]);
      await expectEventually(async () => {
        const data = await gql(query, variables);
        expect(data.reward).toEqual({
          id: reward.data.rewardId,
          rollout: { id: rollout.data.rolloutId, rewards: [{ id: reward.data.rewardId }] },
        });
        expect(data.rollout).toEqual({ id: rollout.data.rolloutId });
      });
    });

    it('keeps a trajectory that arrives before its task (and agent) and links them when they come', async () => {
      const task = taskDefinedEvent();
      const agent = agentDefinedEvent();
      const trajectory = trajectoryRecordedEvent({
        taskId: task.data.taskId,
        agentId: agent.data.agentId,
      });
      await send([trajectory]);
      const query = `query($id: ID!) { trajectory(id: $id) { id task { id prompt } agent { id } } }`;
      const variables = { id: trajectory.data.trajectoryId };
      await expectEventually(async () => {
        expect((await gql(query, variables)).trajectory).toEqual({
          id: trajectory.data.trajectoryId,
          task: null,
          agent: null,
        });
      });
      await send([task]);
      await expectEventually(async () => {
        expect((await gql(query, variables)).trajectory).toEqual({
          id: trajectory.data.trajectoryId,
          task: { id: task.data.taskId, prompt: task.data.prompt },
          agent: null,
        });
      });
      await send([agent]);
      await expectEventually(async () => {
        expect((await gql(query, variables)).trajectory.agent).toEqual({ id: agent.data.agentId });
      });
    });

    it('resolves a tool evolved from a seed registered later, in both directions', async () => {
      const seed = toolRegisteredEvent();
      const evolved = toolRegisteredEvent({ source: 'synthetic', evolvedFrom: [seed.data.toolId] });
      await send([evolved]);
      const query = `query($evolved: ID!, $seed: ID!) { evolved: tool(id: $evolved) { evolvedFrom { id } } seed: tool(id: $seed) { evolvedInto { id } } }`;
      const variables = { evolved: evolved.data.toolId, seed: seed.data.toolId };
      await expectEventually(async () =>
        expect(await gql(query, variables)).toEqual({ evolved: { evolvedFrom: [] }, seed: null }),
      );
      await send([seed]);
      await expectEventually(async () =>
        expect(await gql(query, variables)).toEqual({
          evolved: { evolvedFrom: [{ id: seed.data.toolId }] },
          seed: { evolvedInto: [{ id: evolved.data.toolId }] },
        }),
      );
    });
  });

  describe('pagination', () => {
    const domain = freshId('pagination');
    const tools = Array.from({ length: 7 }, (_, index) =>
      toolRegisteredEvent({ name: `tool_${index}`, domain }),
    );
    const page = `query($domain: String!, $after: String) {
      tools(domain: $domain, first: 3, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
    }`;

    beforeAll(async () => {
      await send(tools);
      await projected(tools.at(-1)!);
    });

    it('walks 7 items 3 at a time: 3 + 3 + 1, with correct page info', async () => {
      const expected = tools.map((tool) => tool.data.toolId);
      const first = (await gql(page, { domain })).tools;
      expect(ids(first)).toEqual(expected.slice(0, 3));
      expect(first.pageInfo).toEqual({
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: first.edges[0].cursor,
        endCursor: first.edges[2].cursor,
      });
      const second = (await gql(page, { domain, after: first.pageInfo.endCursor })).tools;
      expect(ids(second)).toEqual(expected.slice(3, 6));
      expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
      const third = (await gql(page, { domain, after: second.pageInfo.endCursor })).tools;
      expect(ids(third)).toEqual(expected.slice(6));
      expect(third.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: third.edges[0].cursor,
        endCursor: third.edges[0].cursor,
      });
      const beyond = (await gql(page, { domain, after: third.pageInfo.endCursor })).tools;
      expect(beyond).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      });
      // Exactly a page's worth left: no next page.
      const six = (
        await gql(
          `query($domain: String!, $after: String) { tools(domain: $domain, first: 6, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`,
          {
            domain,
            after: first.edges[0].cursor,
          },
        )
      ).tools;
      expect(ids(six)).toEqual(expected.slice(1));
      expect(six.pageInfo.hasNextPage).toBe(false);
    });

    it('refuses a cursor that is not one, or belongs to another keyset, with BAD_USER_INPUT', async () => {
      for (const after of [
        'not-a-cursor',
        Buffer.from('id:12').toString('base64url'),
        Buffer.from('position:-1').toString('base64url'),
      ]) {
        const answer = await graphqlRaw(tracker.url!, page, { domain, after });
        expect(answer.errors).toHaveLength(1);
        expect(answer.errors![0]).toMatchObject({
          message: `after: ${JSON.stringify(after)} is not a cursor of this API`,
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    });

    it('refuses first over 500 (and negative) with BAD_USER_INPUT, accepts 500', async () => {
      for (const first of [501, -1]) {
        const answer = await graphqlRaw(
          tracker.url!,
          `query($first: Int) { tools(first: $first) { edges { cursor } } }`,
          { first },
        );
        expect(answer.errors![0]).toMatchObject({
          message: `first: must be an integer from 0 to 500 (got ${first})`,
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      const deadLetters = await graphqlRaw(
        tracker.url!,
        `{ deadLetters(first: 1000) { edges { cursor } } }`,
      );
      expect(deadLetters.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
      const answer = await graphqlRaw(
        tracker.url!,
        `query($domain: String!) { tools(domain: $domain, first: 500) { edges { cursor } } }`,
        { domain },
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.tools.edges).toHaveLength(7);
    });
  });

  describe('reward metrics and verifier lineage', () => {
    const rlRunId = freshId('rl');
    const criticVersionId = freshId('critic');
    const math = (step: number, value: number, version: string, flagged = false) =>
      rewardAssignedEvent({
        rlRunId,
        step,
        domain: 'math',
        value,
        verifier: { name: 'math-verify', version },
        hackCheck: { flagged },
      });
    // The math verifier moved from 1.3 to 1.4 at step 3.
    const rewards = [
      math(1, 1, '1.3'),
      math(1, 0, '1.3'),
      math(2, 1, '1.3'),
      math(3, 1, '1.4', true),
      math(4, 0, '1.4'),
      ...[1, 1].map((value) =>
        rewardAssignedEvent({
          rlRunId,
          step: 2,
          domain: 'coding',
          value,
          verifier: { name: 'unit-tests', version: '2.0' },
        }),
      ),
      ...[0.25, 0.75, 0.5].map((value, index) =>
        rewardAssignedEvent({
          rlRunId,
          step: index + 1,
          kind: 'self_critic',
          domain: 'creative_writing',
          value,
          verifier: undefined,
          criticVersionId,
          hackCheck: undefined,
        }),
      ),
    ];

    beforeAll(async () => {
      await send([rlStartedEvent({ rlRunId }), ...rewards]);
      await projected(rewards.at(-1)!);
    });

    it('summarizes rewards per domain and kind: count, mean, std, min, max, pass rate, hack-flagged rate', async () => {
      const fields =
        'domain kind count mean std min max passRate hackFlaggedRate firstStep lastStep';
      const data = await gql(
        `query($id: ID!) { rlRun(id: $id) { rewardSummary { ${fields} } late: rewardSummary(fromStep: 3) { ${fields} } } }`,
        {
          id: rlRunId,
        },
      );
      expect(data.rlRun.rewardSummary).toEqual([
        {
          domain: 'coding',
          kind: 'verifiable',
          count: 2,
          mean: 1,
          std: 0,
          min: 1,
          max: 1,
          passRate: 1,
          hackFlaggedRate: 0,
          firstStep: 2,
          lastStep: 2,
        },
        {
          domain: 'creative_writing',
          kind: 'self_critic',
          count: 3,
          mean: 0.5,
          std: expect.any(Number),
          min: 0.25,
          max: 0.75,
          passRate: null,
          hackFlaggedRate: 0,
          firstStep: 1,
          lastStep: 3,
        },
        {
          domain: 'math',
          kind: 'verifiable',
          count: 5,
          mean: 0.6,
          std: expect.any(Number),
          min: 0,
          max: 1,
          passRate: 0.6,
          hackFlaggedRate: 0.2,
          firstStep: 1,
          lastStep: 4,
        },
      ]);
      // Population standard deviations: sqrt(mean of squares - square of mean).
      expect(data.rlRun.rewardSummary[1].std).toBeCloseTo(Math.sqrt(0.875 / 3 - 0.25), 12);
      expect(data.rlRun.rewardSummary[2].std).toBeCloseTo(Math.sqrt(0.24), 12);
      expect(data.rlRun.late).toEqual([
        {
          domain: 'creative_writing',
          kind: 'self_critic',
          count: 1,
          mean: 0.5,
          std: 0,
          min: 0.5,
          max: 0.5,
          passRate: null,
          hackFlaggedRate: 0,
          firstStep: 3,
          lastStep: 3,
        },
        {
          domain: 'math',
          kind: 'verifiable',
          count: 2,
          mean: 0.5,
          std: 0.5,
          min: 0,
          max: 1,
          passRate: 0.5,
          hackFlaggedRate: 0.5,
          firstStep: 3,
          lastStep: 4,
        },
      ]);
    });

    it('answers which verifier version produced the rewards of a run at a step', async () => {
      const fields = 'name version domains rewardCount firstStep lastStep';
      const data = await gql(
        `query($id: ID!) { rlRun(id: $id) { step1: verifiers(step: 1) { ${fields} } step2: verifiers(step: 2) { ${fields} }
          step3: verifiers(step: 3) { ${fields} } all: verifiers { ${fields} } } }`,
        { id: rlRunId },
      );
      expect(data.rlRun.step1).toEqual([
        {
          name: 'math-verify',
          version: '1.3',
          domains: ['math'],
          rewardCount: 2,
          firstStep: 1,
          lastStep: 1,
        },
      ]);
      expect(data.rlRun.step2).toEqual([
        {
          name: 'math-verify',
          version: '1.3',
          domains: ['math'],
          rewardCount: 1,
          firstStep: 2,
          lastStep: 2,
        },
        {
          name: 'unit-tests',
          version: '2.0',
          domains: ['coding'],
          rewardCount: 2,
          firstStep: 2,
          lastStep: 2,
        },
      ]);
      expect(data.rlRun.step3).toEqual([
        {
          name: 'math-verify',
          version: '1.4',
          domains: ['math'],
          rewardCount: 1,
          firstStep: 3,
          lastStep: 3,
        },
      ]);
      expect(data.rlRun.all).toEqual([
        {
          name: 'math-verify',
          version: '1.3',
          domains: ['math'],
          rewardCount: 3,
          firstStep: 1,
          lastStep: 2,
        },
        {
          name: 'math-verify',
          version: '1.4',
          domains: ['math'],
          rewardCount: 2,
          firstStep: 3,
          lastStep: 4,
        },
        {
          name: 'unit-tests',
          version: '2.0',
          domains: ['coding'],
          rewardCount: 2,
          firstStep: 2,
          lastStep: 2,
        },
      ]);
      const filtered = await gql(
        `query($id: ID!) { rewards(rlRunId: $id, verifierName: "math-verify", verifierVersion: "1.4") { edges { node { id step } } } }`,
        {
          id: rlRunId,
        },
      );
      expect(filtered.rewards.edges.map((edge: any) => edge.node)).toEqual([
        { id: rewards[3].data.rewardId, step: 3 },
        { id: rewards[4].data.rewardId, step: 4 },
      ]);
    });
  });

  /**
   * Records the API's queries on `pool` until `restore()`; the embedded log consumer's polling
   * and the live side's reading of the journal position share the pool and are left out.
   */
  function countQueries(pool: Database['pool']): { queries: string[]; restore: () => void } {
    const queries: string[] = [];
    const original = pool.query;
    pool.query = function (this: typeof pool, ...args: unknown[]) {
      const text =
        typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
      if (
        !/embedded_log|consumer_offsets|max\(position\)::text AS max FROM event_journal/.test(text)
      )
        queries.push(text);
      return (original as (...inner: unknown[]) => unknown).apply(this, args);
    } as typeof pool.query;
    return { queries, restore: () => (pool.query = original) };
  }

  describe('DataLoader batching', () => {
    it('resolves the rollout and run of 50 rewards with a bounded number of queries', async () => {
      const rlRunId = freshId('rl');
      const rollouts = Array.from({ length: 50 }, (_, step) =>
        rolloutCompletedEvent({ rlRunId, step }),
      );
      const rewards = rollouts.map((rollout) =>
        rewardAssignedEvent({
          rlRunId,
          rolloutId: rollout.data.rolloutId,
          step: rollout.data.step,
          value: rollout.data.step % 2,
        }),
      );
      await send([rlStartedEvent({ rlRunId }), ...rollouts, ...rewards]);
      await projected(rewards.at(-1)!);

      const { queries, restore } = countQueries(tracker.app.get<Database>(DATABASE).pool);
      try {
        const data = await gql(
          `query($id: ID!) { rewards(rlRunId: $id, first: 50) { edges { node { id rollout { id step } run { id } } } } }`,
          {
            id: rlRunId,
          },
        );
        expect(data.rewards.edges).toHaveLength(50);
        data.rewards.edges.forEach((edge: any, index: number) => {
          expect(edge.node).toEqual({
            id: rewards[index].data.rewardId,
            rollout: { id: rollouts[index].data.rolloutId, step: index },
            run: { id: rlRunId },
          });
        });
        // One page query, one batch of rollouts, one of runs.
        expect(queries).toHaveLength(3);

        queries.length = 0;
        const deep = await gql(
          `query($id: ID!) { rewards(rlRunId: $id, first: 50) { edges { node {
            rollout { task { id } policyCheckpoint { id } comparisons { id } rewards { id } }
            run { criticVersions { id } datasetVersions { datasetId } } criticVersion { id } } } } }`,
          { id: rlRunId },
        );
        expect(deep.rewards.edges).toHaveLength(50);
        // Each relation is one batched query, whatever the number of rewards.
        expect(queries.length).toBeLessThanOrEqual(10);
      } finally {
        restore();
      }
    });
    it('pages the children of many parents (runs -> rewards) with one query per page shape', async () => {
      const runIds = Array.from({ length: 6 }, () => freshId('rl'));
      const perRun = runIds.map((rlRunId) =>
        Array.from({ length: 3 }, (_, step) => rewardAssignedEvent({ rlRunId, step })),
      );
      await send([
        ...runIds.map((rlRunId) => rlStartedEvent({ rlRunId, project: runIds[0] })),
        ...perRun.flat(),
      ]);
      await projected(perRun.flat().at(-1)!);

      const { queries, restore } = countQueries(tracker.app.get<Database>(DATABASE).pool);
      try {
        const data = await gql(
          `query($project: String!) { rlRuns(project: $project, first: 10) { edges { node { id
             rewards(first: 2) { edges { node { id } } pageInfo { hasNextPage } } } } } }`,
          { project: runIds[0] },
        );
        const runs = data.rlRuns.edges.map((edge: any) => edge.node);
        expect(runs.map((run: any) => run.id)).toEqual(runIds);
        runs.forEach((run: any, index: number) => {
          expect(run.rewards.edges.map((edge: any) => edge.node.id)).toEqual(
            perRun[index].slice(0, 2).map((reward) => reward.data.rewardId),
          );
          expect(run.rewards.pageInfo.hasNextPage).toBe(true);
        });
        // The runs page, then every run's first page of rewards in one lateral query.
        expect(queries).toHaveLength(2);
      } finally {
        restore();
      }
    });
  });

  describe('dead letters and projector status', () => {
    it('lists a poison message sent straight to the log, with its reason and bytes', async () => {
      const { rows } = await database.pool.query<{ position: string }>(
        `INSERT INTO embedded_log (key, value) VALUES ('x', '{bad') RETURNING position`,
      );
      const offset = rows[0].position;
      const fields =
        'id topic partition offset stage reason eventId eventType raw rawBase64 loggedAt deadAt';
      await expectEventually(async () => {
        const data = await gql(
          `{ deadLetters(stage: "decode") { edges { cursor node { ${fields} } } pageInfo { hasNextPage } } }`,
        );
        expect(data.deadLetters.edges.map((edge: any) => edge.node)).toEqual([
          {
            id: expect.stringMatching(/^\d+$/),
            topic: 'embedded',
            partition: 0,
            offset,
            stage: 'decode',
            reason: expect.stringMatching(/^event is not valid JSON: /),
            eventId: null,
            eventType: null,
            raw: '{bad',
            rawBase64: Buffer.from('{bad').toString('base64'),
            loggedAt: TIMESTAMP,
            deadAt: TIMESTAMP,
          },
        ]);
        expect(data.deadLetters.pageInfo.hasNextPage).toBe(false);
      });
      const others = await gql(`{ project: deadLetters(stage: "project") { edges { cursor } }
        typed: deadLetters(eventType: "reward.assigned") { edges { cursor } } }`);
      expect(others).toEqual({ project: { edges: [] }, typed: { edges: [] } });
      const first = await gql(`{ deadLetters(first: 1) { edges { cursor } } }`);
      const after = await gql(
        `query($after: String) { deadLetters(after: $after) { edges { cursor } pageInfo { hasPreviousPage } } }`,
        {
          after: first.deadLetters.edges[0].cursor,
        },
      );
      expect(after.deadLetters).toEqual({ edges: [], pageInfo: { hasPreviousPage: true } });
    });

    it('shows lag 0 and the last applied event once caught up', async () => {
      const marker = toolRegisteredEvent();
      await send([marker]);
      await expectEventually(async () => {
        const data = await gql(`{ projectorStatus { groupId totalLag journalEvents deadLetters
          partitions { topic partition lastOffset highWatermark lag updatedAt }
          lastEvent { position eventId type subject source time projectedAt } } }`);
        const logEnd = (
          await database.pool.query<{ max: string }>(
            `SELECT max(position)::text AS max FROM embedded_log`,
          )
        ).rows[0].max;
        const deadLetters = Number(
          (await database.pool.query(`SELECT count(*) FROM dead_letters`)).rows[0].count,
        );
        expect(data.projectorStatus).toEqual({
          groupId: 'tracker-projector',
          totalLag: 0,
          journalEvents: accepted,
          deadLetters,
          partitions: [
            {
              topic: 'embedded',
              partition: 0,
              lastOffset: logEnd,
              highWatermark: String(BigInt(logEnd) + 1n),
              lag: 0,
              updatedAt: TIMESTAMP,
            },
          ],
          lastEvent: {
            position: POSITION,
            eventId: marker.id,
            type: 'tool.registered',
            subject: marker.subject,
            source: marker.source,
            time: marker.time,
            projectedAt: TIMESTAMP,
          },
        });
      });
    });
  });
});
