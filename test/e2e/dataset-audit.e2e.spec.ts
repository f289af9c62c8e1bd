import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { datasetContentHash } from '@tracker/events';
import { NODE_KINDS } from '@tracker/read-model';
import {
  agentDefinedEvent,
  BUILT_CLI,
  checkpointSavedEvent,
  criticComparedEvent,
  criticUpdatedEvent,
  datasetMembersAddedEvent,
  datasetSealedEvent,
  evaluationRecordedEvent,
  freshId,
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
  type WireEvent,
} from '@tracker/testing';
import { TrackerUnderTest, type SentEvent } from './support/tracker-under-test';

// Dataset audits end to end: a pipeline with known answers goes in through POST /v1/events,
// the projector (embedded log, real Postgres) applies it, and every assertion reads the booted
// tracker: GraphQL (datasetAudit, datasetDiff, auditTrail, datasetVersion as of a time), the
// NDJSON export, and the built CLI run against the suite's database.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const sorted = (ids: readonly string[]) =>
  [...ids].sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('dataset audit', () => {
  let under: TrackerUnderTest;
  beforeAll(async () => {
    under = await TrackerUnderTest.start('dataset_audit');
  });
  afterAll(() => under?.stop());

  const gql = <Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
  ) => under.gql<Data>(query, variables);
  const sendAndProject = (events: readonly SentEvent[]) => under.sendAndProject(events);

  /** A moment strictly between what is journaled now and what is sent next. */
  async function journalMoment(): Promise<Date> {
    await pause(30);
    const moment = new Date();
    await pause(30);
    return moment;
  }

  const positionOf = async (event: SentEvent): Promise<string> =>
    (await gql(`query($id: ID!) { event(id: $id) { position } }`, { id: event.id })).event.position;

  function runCli(args: readonly string[]): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BUILT_CLI, ...args], {
        env: { ...process.env, DATABASE_URL: under.database.url, LOG_LEVEL: 'error' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  const lastJournalPosition = async () =>
    (
      await under.database.pool.query<{ max: string }>(
        'SELECT max(position)::text AS max FROM event_journal',
      )
    ).rows[0].max;

  // --- The pipeline ---------------------------------------------------------------------------
  const tag = freshId('audit');
  const toolA = toolRegisteredEvent({ name: 'search_flights' });
  const toolB = toolRegisteredEvent({ name: 'book_hotel' });
  const unregisteredToolId = freshId('tool-never-registered');
  const runOk = synthesisStartedEvent({ name: 'succeeding run' });
  const runFailed = synthesisStartedEvent({ name: 'failing run' });
  const runOkId = runOk.data.synthesisRunId;
  const runFailedId = runFailed.data.synthesisRunId;
  const agent = agentDefinedEvent({ toolIds: [toolA.data.toolId, toolB.data.toolId] });
  const task = taskDefinedEvent({ agentId: agent.data.agentId });
  const calling = (...toolIds: string[]) => [
    { role: 'user' as const, content: 'Find me a flight and a hotel.' },
    {
      role: 'assistant' as const,
      content: null,
      toolCalls: toolIds.map((toolId) => ({ toolId, arguments: {}, result: { ok: true } })),
    },
    { role: 'assistant' as const, content: 'Done.' },
  ];
  const trajectory = (
    synthesisRunId: string,
    passed: boolean,
    toolIds: string[],
  ): WireEvent<'trajectory.recorded'> =>
    trajectoryRecordedEvent({
      synthesisRunId,
      taskId: task.data.taskId,
      agentId: agent.data.agentId,
      turns: calling(...toolIds),
      judgement: { passed, score: passed ? 0.9 : 0.2 },
    });
  const good1 = trajectory(runOkId, true, [toolA.data.toolId]);
  const good2 = trajectory(runOkId, true, [toolA.data.toolId, toolB.data.toolId]);
  const rejected = trajectory(runOkId, false, [toolB.data.toolId]);
  const unregistered = trajectory(runOkId, true, [toolA.data.toolId, unregisteredToolId]);
  const fromFailedRun = trajectory(runFailedId, true, [toolA.data.toolId]);
  const runOkCompleted = synthesisCompletedEvent({ synthesisRunId: runOkId, status: 'succeeded' });
  const runFailedCompleted = synthesisCompletedEvent({
    synthesisRunId: runFailedId,
    status: 'failed',
  });
  const id = (event: WireEvent<'trajectory.recorded'>) => event.data.trajectoryId;
  const [g1, g2] = [id(good1), id(good2)];
  const neverRecorded = freshId('trajectory-never-recorded');
  const late = freshId('trajectory-late');
  const missingTaskId = freshId('task-never-defined');

  const datasetId = freshId('sft-core');
  const members = (
    version: number,
    memberIds: string[],
    memberKind: 'trajectory' | 'task' = 'trajectory',
  ) => datasetMembersAddedEvent({ datasetId, version, memberKind, memberIds });
  const seal = (version: number, memberIds: string[], data: Record<string, unknown> = {}) =>
    datasetSealedEvent(
      { datasetId, version, memberIds, description: `version ${version}`, ...data },
      { time: `2026-11-20T12:0${version}:00.000Z` },
    );

  // v1: clean. v2: every kind of finding, built in three phases (for the as-of views).
  const v1Members = members(1, [g1, g2]);
  const v1Seal = seal(1, [g1, g2]);
  const v2Phase1Ids = [g1, id(rejected), id(unregistered), id(fromFailedRun), neverRecorded];
  const v2Ids = [...v2Phase1Ids, g2];
  const v2First = members(2, v2Phase1Ids);
  const v2Duplicate = members(2, [g1, g2]);
  const v2Seal = seal(2, v2Ids);
  const v2Late = members(2, [late]);
  const v2SealAgain = seal(2, [...v2Ids, late]);
  // v3: sealed with the hash of other members (the member count is right). v4: not sealed.
  const v3Members = members(3, [g1, id(rejected)]);
  const v3Seal = seal(3, [g1, id(rejected)], { contentHash: datasetContentHash([g1]) });
  const v4Members = members(4, [g1]);
  // v5: trajectories, then tasks (a member kind mismatch; one task never defined).
  const v5Trajectories = members(5, [g2]);
  const v5Tasks = members(5, [task.data.taskId, missingTaskId], 'task');
  // v6: ids whose code point order differs from UTF-16 and locale orders.
  const v6Ids = [`${tag}-\u{1F600}`, `${tag}-a`, `${tag}-\uFF5E`, `${tag}-B`];
  const v6Members = members(6, v6Ids);
  const v6Seal = seal(6, v6Ids);
  // v7: more members than one export page.
  const v7Ids = Array.from({ length: 12_000 }, (_, index) => `${tag}-m-${index}`);
  const v7Members = [members(7, v7Ids.slice(0, 7_000)), members(7, v7Ids.slice(7_000))];

  const promptSetId = freshId('rl-prompts');
  const promptMembers = datasetMembersAddedEvent({
    datasetId: promptSetId,
    version: 1,
    memberKind: 'task',
    memberIds: [task.data.taskId, missingTaskId],
  });
  const promptSeal = datasetSealedEvent({
    datasetId: promptSetId,
    version: 1,
    memberIds: [task.data.taskId, missingTaskId],
    purpose: 'rl',
  });

  // RL side, for the audit trails of the other kinds.
  const rlRunId = freshId('rl');
  const rlStarted = rlStartedEvent({ rlRunId, datasets: [{ datasetId, version: 1 }] });
  const checkpoint = checkpointSavedEvent({ rlRunId, step: 10 });
  const rollout = rolloutCompletedEvent({ rlRunId, step: 10, taskId: task.data.taskId });
  const secondRollout = rolloutCompletedEvent({ rlRunId, step: 10, taskId: task.data.taskId });
  const reward = rewardAssignedEvent({ rlRunId, step: 10, rolloutId: rollout.data.rolloutId });
  const comparison = criticComparedEvent({
    rlRunId,
    step: 10,
    rolloutIds: [rollout.data.rolloutId, secondRollout.data.rolloutId],
  });
  const criticUpdate = criticUpdatedEvent({ rlRunId, step: 10 });
  const rlFinished = rlFinishedEvent({ rlRunId, status: 'succeeded' });
  const evaluation = evaluationRecordedEvent({ checkpointId: checkpoint.data.checkpointId });

  let beforeAnything: Date;
  let afterPhase1: Date;
  let afterPhase2: Date;

  beforeAll(async () => {
    beforeAnything = await journalMoment();
    await sendAndProject([
      toolA,
      toolB,
      runOk,
      runFailed,
      agent,
      task,
      good1,
      good2,
      rejected,
      unregistered,
      fromFailedRun,
      runOkCompleted,
      runFailedCompleted,
      v1Members,
      v1Seal,
      v2First,
    ]);
    afterPhase1 = await journalMoment();
    await sendAndProject([v2Duplicate, v2Seal]);
    afterPhase2 = await journalMoment();
    await sendAndProject([
      v2Late,
      v2SealAgain,
      v3Members,
      v3Seal,
      v4Members,
      v5Trajectories,
      v5Tasks,
      v6Members,
      v6Seal,
      ...v7Members,
      promptMembers,
      promptSeal,
      rlStarted,
      checkpoint,
      rollout,
      secondRollout,
      reward,
      comparison,
      criticUpdate,
      rlFinished,
      evaluation,
    ]);
  });

  const AUDIT = `
    datasetId version asOf memberKind sealed sealedAt sealedContentHash sealedMemberCount
    computedContentHash computedMemberCount hashMatches memberCountMatches verified
    findings { kind memberIds memberCount toolIds synthesisRunIds detail eventId position event { id type } }`;
  const audit = async (datasetIdOf: string, version: number, asOf?: Date) =>
    (
      await gql(
        `query($datasetId: ID!, $version: Int!, $asOf: DateTime) {
          datasetAudit(datasetId: $datasetId, version: $version, asOf: $asOf) { ${AUDIT} } }`,
        { datasetId: datasetIdOf, version, asOf: asOf?.toISOString() ?? null },
      )
    ).datasetAudit;

  /** A computed finding: no event, no related ids unless given. */
  const computed = (kind: string, memberIds: string[], detail: string, related = {}) => ({
    kind,
    memberIds,
    memberCount: memberIds.length,
    toolIds: [],
    synthesisRunIds: [],
    detail,
    eventId: null,
    position: null,
    event: null,
    ...related,
  });
  const v2Computed = () => [
    computed(
      'unknown_member',
      [neverRecorded],
      '1 trajectory member never recorded (no trajectory.recorded)',
    ),
    computed(
      'judge_rejected',
      [id(rejected)],
      '1 trajectory member rejected by the judge (judgement.passed = false)',
    ),
    computed(
      'failed_synthesis_run',
      [id(fromFailedRun)],
      `1 trajectory member from synthesis runs that failed: ${runFailedId}`,
      { synthesisRunIds: [runFailedId] },
    ),
    computed(
      'unregistered_tool',
      [id(unregistered)],
      `1 trajectory member calling tools never registered: ${unregisteredToolId}`,
      { toolIds: [unregisteredToolId] },
    ),
  ];
  const stored = async (kind: string, memberIds: string[], detail: string, event: SentEvent) => ({
    kind,
    memberIds,
    memberCount: memberIds.length,
    toolIds: [],
    synthesisRunIds: [],
    detail,
    eventId: event.id,
    position: await positionOf(event),
    event: { id: event.id, type: event.type },
  });

  describe('datasetAudit', () => {
    it('verifies a clean version: sealed, hash and count match, no findings', async () => {
      const hash = datasetContentHash([g1, g2]);
      expect(await audit(datasetId, 1)).toEqual({
        datasetId,
        version: 1,
        asOf: null,
        memberKind: 'trajectory',
        sealed: true,
        sealedAt: '2026-11-20T12:01:00.000Z',
        sealedContentHash: hash,
        sealedMemberCount: 2,
        computedContentHash: hash,
        computedMemberCount: 2,
        hashMatches: true,
        memberCountMatches: true,
        verified: true,
        findings: [],
      });
    });

    it('reports every kind of finding: stored ones in journal order, then computed ones', async () => {
      const hash = datasetContentHash(v2Ids);
      expect(await audit(datasetId, 2)).toEqual({
        datasetId,
        version: 2,
        asOf: null,
        memberKind: 'trajectory',
        sealed: true,
        sealedAt: '2026-11-20T12:02:00.000Z',
        sealedContentHash: hash,
        sealedMemberCount: 6,
        computedContentHash: hash,
        computedMemberCount: 6,
        hashMatches: true,
        memberCountMatches: true,
        verified: true,
        findings: [
          await stored(
            'duplicate_member',
            [g1],
            '1 member addition(s) repeated members already in the version',
            v2Duplicate,
          ),
          await stored(
            'added_after_seal',
            [late],
            '1 member(s) arrived after version 2 was sealed and were not added',
            v2Late,
          ),
          await stored(
            'sealed_again',
            [],
            `sealed again with hash ${v2SealAgain.data.contentHash} and 7 member(s); the first seal stands`,
            v2SealAgain,
          ),
          ...v2Computed(),
        ],
      });
    });

    it('catches a sealed hash that does not match the members received', async () => {
      expect(await audit(datasetId, 3)).toEqual({
        datasetId,
        version: 3,
        asOf: null,
        memberKind: 'trajectory',
        sealed: true,
        sealedAt: '2026-11-20T12:03:00.000Z',
        sealedContentHash: datasetContentHash([g1]),
        sealedMemberCount: 2,
        computedContentHash: datasetContentHash([g1, id(rejected)]),
        computedMemberCount: 2,
        hashMatches: false,
        memberCountMatches: true,
        verified: false,
        findings: [
          computed(
            'judge_rejected',
            [id(rejected)],
            '1 trajectory member rejected by the judge (judgement.passed = false)',
          ),
        ],
      });
    });

    it('computes the hash of an unsealed version, which is never verified', async () => {
      expect(await audit(datasetId, 4)).toMatchObject({
        sealed: false,
        sealedAt: null,
        sealedContentHash: null,
        sealedMemberCount: null,
        computedContentHash: datasetContentHash([g1]),
        computedMemberCount: 1,
        hashMatches: null,
        memberCountMatches: null,
        verified: false,
        findings: [],
      });
    });

    it('checks each member against its own kind in a version of mixed kinds', async () => {
      const answer = await audit(datasetId, 5);
      expect(answer).toMatchObject({
        memberKind: 'trajectory',
        sealed: false,
        computedContentHash: datasetContentHash([g2, task.data.taskId, missingTaskId]),
        computedMemberCount: 3,
      });
      expect(answer.findings).toEqual([
        await stored(
          'member_kind_mismatch',
          sorted([task.data.taskId, missingTaskId]),
          'members added as task to a version of trajectory members',
          v5Tasks,
        ),
        computed(
          'unknown_member',
          [missingTaskId],
          '1 task member never defined (no task.defined)',
        ),
      ]);
    });

    it('hashes ids in code point order, as producers do (astral characters, case)', async () => {
      expect(await audit(datasetId, 6)).toMatchObject({
        sealedContentHash: datasetContentHash(v6Ids),
        computedContentHash: datasetContentHash(v6Ids),
        hashMatches: true,
        verified: true,
        findings: [
          computed(
            'unknown_member',
            [`${tag}-B`, `${tag}-a`, `${tag}-\uFF5E`, `${tag}-\u{1F600}`],
            '4 trajectory members never recorded (no trajectory.recorded)',
          ),
        ],
      });
    });

    it('audits task versions (RL prompt sets)', async () => {
      const hash = datasetContentHash([task.data.taskId, missingTaskId]);
      expect(await audit(promptSetId, 1)).toMatchObject({
        memberKind: 'task',
        sealed: true,
        sealedContentHash: hash,
        computedContentHash: hash,
        computedMemberCount: 2,
        verified: true,
        findings: [
          computed(
            'unknown_member',
            [missingTaskId],
            '1 task member never defined (no task.defined)',
          ),
        ],
      });
    });

    it('is null for an unknown version', async () => {
      expect(await audit(datasetId, 99)).toBeNull();
      expect(await audit(freshId('no-such-dataset'), 1)).toBeNull();
    });

    it('audits a version as the journal held it at a time', async () => {
      expect(await audit(datasetId, 2, beforeAnything)).toBeNull();
      expect(await audit(datasetId, 2, afterPhase1)).toEqual({
        datasetId,
        version: 2,
        asOf: afterPhase1.toISOString(),
        memberKind: 'trajectory',
        sealed: false,
        sealedAt: null,
        sealedContentHash: null,
        sealedMemberCount: null,
        computedContentHash: datasetContentHash(v2Phase1Ids),
        computedMemberCount: 5,
        hashMatches: null,
        memberCountMatches: null,
        verified: false,
        findings: v2Computed(),
      });
      expect(await audit(datasetId, 2, afterPhase2)).toEqual({
        datasetId,
        version: 2,
        asOf: afterPhase2.toISOString(),
        memberKind: 'trajectory',
        sealed: true,
        sealedAt: '2026-11-20T12:02:00.000Z',
        sealedContentHash: datasetContentHash(v2Ids),
        sealedMemberCount: 6,
        computedContentHash: datasetContentHash(v2Ids),
        computedMemberCount: 6,
        hashMatches: true,
        memberCountMatches: true,
        verified: true,
        findings: [
          await stored(
            'duplicate_member',
            [g1],
            '1 member addition(s) repeated members already in the version',
            v2Duplicate,
          ),
          ...v2Computed(),
        ],
      });
    });
  });

  describe('datasetVersion as of a time', () => {
    const VERSION = `
      datasetId version asOf memberKind memberCount sealed sealedMemberCount sealedContentHash
      computedContentHash contentHashMatches sealedAt
      members(first: 10) { edges { node { memberId addedByEventId } } }
      findings { finding memberIds eventId }`;
    const versionAsOf = async (asOf: Date | null) =>
      (
        await gql(
          `query($datasetId: ID!, $asOf: DateTime) {
            datasetVersion(datasetId: $datasetId, version: 2, asOf: $asOf) { ${VERSION} } }`,
          { datasetId, asOf: asOf?.toISOString() ?? null },
        )
      ).datasetVersion;
    const memberNodes = (memberIds: string[], event: (memberId: string) => SentEvent) =>
      memberIds.map((memberId) => ({ node: { memberId, addedByEventId: event(memberId).id } }));

    it('is null before the version had any event', async () => {
      expect(await versionAsOf(beforeAnything)).toBeNull();
    });

    it('holds only the members journaled by then, unsealed until the seal was', async () => {
      expect(await versionAsOf(afterPhase1)).toEqual({
        datasetId,
        version: 2,
        asOf: afterPhase1.toISOString(),
        memberKind: 'trajectory',
        memberCount: 5,
        sealed: false,
        sealedMemberCount: null,
        sealedContentHash: null,
        computedContentHash: null,
        contentHashMatches: null,
        sealedAt: null,
        members: { edges: memberNodes(sorted(v2Phase1Ids), () => v2First) },
        findings: [],
      });
    });

    it('holds the seal and the findings journaled by then', async () => {
      const hash = datasetContentHash(v2Ids);
      expect(await versionAsOf(afterPhase2)).toEqual({
        datasetId,
        version: 2,
        asOf: afterPhase2.toISOString(),
        memberKind: 'trajectory',
        memberCount: 6,
        sealed: true,
        sealedMemberCount: 6,
        sealedContentHash: hash,
        computedContentHash: hash,
        contentHashMatches: true,
        sealedAt: '2026-11-20T12:02:00.000Z',
        members: {
          edges: [
            ...memberNodes(sorted(v2Phase1Ids), () => v2First),
            ...memberNodes([g2], () => v2Duplicate),
          ],
        },
        findings: [{ finding: 'duplicate_member', memberIds: [g1], eventId: v2Duplicate.id }],
      });
    });

    it('without asOf is the current state, later findings included', async () => {
      const now = await versionAsOf(null);
      expect(now).toMatchObject({ asOf: null, memberCount: 6, sealed: true });
      expect(now.findings.map((finding: { finding: string }) => finding.finding)).toEqual([
        'duplicate_member',
        'added_after_seal',
        'sealed_again',
      ]);
    });

    it('pages the as-of membership', async () => {
      const page = async (after: string | null) =>
        (
          await gql(
            `query($datasetId: ID!, $asOf: DateTime, $after: String) {
              datasetVersion(datasetId: $datasetId, version: 2, asOf: $asOf) {
                members(first: 3, after: $after) { edges { node { memberId } } pageInfo { hasNextPage endCursor } } } }`,
            { datasetId, asOf: afterPhase1.toISOString(), after },
          )
        ).datasetVersion.members;
      const first = await page(null);
      const second = await page(first.pageInfo.endCursor);
      expect(first.pageInfo.hasNextPage).toBe(true);
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect([...first.edges, ...second.edges].map((edge: any) => edge.node.memberId)).toEqual(
        sorted(v2Phase1Ids),
      );
    });
  });

  describe('datasetDiff', () => {
    const diff = (from: number, to: number, first = 10, addedAfter: string | null = null) =>
      graphqlRaw(
        under.url,
        `query($datasetId: ID!, $from: Int!, $to: Int!, $first: Int, $after: String) {
          datasetDiff(datasetId: $datasetId, fromVersion: $from, toVersion: $to) {
            datasetId fromVersion toVersion addedCount removedCount
            added(first: $first, after: $after) { edges { node { memberId memberKind } } pageInfo { hasNextPage hasPreviousPage endCursor } }
            removed(first: $first) { edges { node { memberId memberKind } } pageInfo { hasNextPage } }
          } }`,
        { datasetId, from, to, first, after: addedAfter },
      );
    const nodes = (memberIds: string[], memberKind = 'trajectory') =>
      memberIds.map((memberId) => ({ node: { memberId, memberKind } }));

    it('lists members added and removed, with counts', async () => {
      const answer = await diff(1, 3);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.datasetDiff).toEqual({
        datasetId,
        fromVersion: 1,
        toVersion: 3,
        addedCount: 1,
        removedCount: 1,
        added: {
          edges: nodes([id(rejected)]),
          pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: expect.any(String) },
        },
        removed: { edges: nodes([g2]), pageInfo: { hasNextPage: false } },
      });
    });

    it('pages the added members in code point order', async () => {
      const added = sorted([id(rejected), id(unregistered), id(fromFailedRun), neverRecorded]);
      const first = await diff(1, 2, 3);
      expect(first.data!.datasetDiff).toMatchObject({
        addedCount: 4,
        removedCount: 0,
        added: { edges: nodes(added.slice(0, 3)), pageInfo: { hasNextPage: true } },
        removed: { edges: [] },
      });
      const second = await diff(1, 2, 3, first.data!.datasetDiff.added.pageInfo.endCursor);
      expect(second.data!.datasetDiff.added).toEqual({
        edges: nodes(added.slice(3)),
        pageInfo: { hasNextPage: false, hasPreviousPage: true, endCursor: expect.any(String) },
      });
      const reverse = await diff(2, 1);
      expect(reverse.data!.datasetDiff).toMatchObject({
        addedCount: 0,
        removedCount: 4,
        removed: { edges: nodes(added) },
      });
    });

    it('caps the page size and names an unknown version', async () => {
      const tooMany = await diff(1, 2, 501);
      expect(tooMany.errors![0]).toMatchObject({
        message: 'first: must be an integer from 0 to 500 (got 501)',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      const unknown = await diff(1, 42);
      expect(unknown.errors![0]).toMatchObject({
        message: `toVersion: dataset ${JSON.stringify(datasetId)} has no version 42`,
        extensions: { code: 'NOT_FOUND' },
      });
      const unknownFrom = await diff(41, 1);
      expect(unknownFrom.errors![0].message).toBe(
        `fromVersion: dataset ${JSON.stringify(datasetId)} has no version 41`,
      );
    });
  });

  describe('auditTrail', () => {
    const FIELDS = 'id type time source position topic partition offset subject projectedAt';
    const trail = (nodeId: string, options: { asOf?: Date; first?: number; after?: string } = {}) =>
      graphqlRaw(
        under.url,
        `query($id: ID!, $asOf: DateTime, $first: Int, $after: String) {
          auditTrail(id: $id, asOf: $asOf, first: $first, after: $after) {
            edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
        {
          id: nodeId,
          asOf: options.asOf?.toISOString() ?? null,
          first: options.first ?? null,
          after: options.after ?? null,
        },
      );
    /** The journal's own answer for these events, to compare a trail with. */
    const journaled = async (events: readonly SentEvent[]) => {
      const data = await gql(
        `{ ${events.map((event, index) => `e${index}: event(id: "${event.id}") { ${FIELDS} }`).join(' ')} }`,
      );
      return events.map((_, index) => data[`e${index}`]);
    };
    const trailNodes = async (nodeId: string, options = {}) => {
      const answer = await trail(nodeId, options);
      expect(answer.errors).toBeUndefined();
      return answer.data!.auditTrail.edges.map((edge: { node: unknown }) => edge.node);
    };

    it('of a dataset version: its member additions and seals, in journal order', async () => {
      const events = [v2First, v2Duplicate, v2Seal, v2Late, v2SealAgain];
      const expected = await journaled(events);
      expect(expected.map((event) => event.type)).toEqual([
        'dataset.members.added',
        'dataset.members.added',
        'dataset.sealed',
        'dataset.members.added',
        'dataset.sealed',
      ]);
      expect(expected[0]).toMatchObject({
        id: v2First.id,
        source: v2First.source,
        time: v2First.time,
        subject: `dataset:${datasetId}`,
        topic: 'embedded',
        partition: 0,
      });
      expect(await trailNodes(`dataset_version:${datasetId}@2`)).toEqual(expected);
      expect(await trailNodes(`dataset_version:${datasetId}@1`)).toEqual(
        await journaled([v1Members, v1Seal]),
      );
      expect(await trailNodes(`dataset_version:${datasetId}@5`)).toEqual(
        await journaled([v5Trajectories, v5Tasks]),
      );
    });

    it('pages, and stops at asOf', async () => {
      const nodeId = `dataset_version:${datasetId}@2`;
      const all = await journaled([v2First, v2Duplicate, v2Seal, v2Late, v2SealAgain]);
      const first = await trail(nodeId, { first: 2 });
      expect(first.data!.auditTrail.edges.map((edge: any) => edge.node)).toEqual(all.slice(0, 2));
      expect(first.data!.auditTrail.pageInfo.hasNextPage).toBe(true);
      const rest = await trailNodes(nodeId, { after: first.data!.auditTrail.pageInfo.endCursor });
      expect(rest).toEqual(all.slice(2));
      expect(await trailNodes(nodeId, { asOf: afterPhase2 })).toEqual(all.slice(0, 3));
      expect(await trailNodes(nodeId, { asOf: afterPhase1 })).toEqual(all.slice(0, 1));
      expect(await trailNodes(nodeId, { asOf: beforeAnything })).toEqual([]);
    });

    it('of runs: their lifecycle events only, not what ran in them', async () => {
      expect(await trailNodes(`synthesis_run:${runFailedId}`)).toEqual(
        await journaled([runFailed, runFailedCompleted]),
      );
      expect(await trailNodes(`rl_run:${rlRunId}`)).toEqual(
        await journaled([rlStarted, rlFinished]),
      );
    });

    it('of entities made by one event: that event', async () => {
      const cases: Array<[string, SentEvent]> = [
        [`tool:${toolA.data.toolId}`, toolA],
        [`agent:${agent.data.agentId}`, agent],
        [`task:${task.data.taskId}`, task],
        [`trajectory:${id(rejected)}`, rejected],
        [`checkpoint:${checkpoint.data.checkpointId}`, checkpoint],
        [`rollout:${rollout.data.rolloutId}`, rollout],
        [`reward:${reward.data.rewardId}`, reward],
        [`comparison:${comparison.data.comparisonId}`, comparison],
        [`critic_version:${criticUpdate.data.criticVersionId}`, criticUpdate],
        [`evaluation:${evaluation.data.evaluationId}`, evaluation],
      ];
      for (const [nodeId, event] of cases)
        expect({ nodeId, trail: await trailNodes(nodeId) }).toEqual({
          nodeId,
          trail: await journaled([event]),
        });
      expect(await trailNodes(`tool:${unregisteredToolId}`)).toEqual([]);
      expect(await trailNodes(`tool:${toolA.data.toolId}`, { asOf: beforeAnything })).toEqual([]);
    });

    it('refuses malformed ids, saying which part is wrong', async () => {
      const cases: Array<[string, string]> = [
        [
          'toolx',
          'id: "toolx" is not a typed node id KIND:ID (e.g. "tool:tool-1" or "dataset_version:sft-core@3")',
        ],
        [
          ':x',
          'id: ":x" is not a typed node id KIND:ID (e.g. "tool:tool-1" or "dataset_version:sft-core@3")',
        ],
        ['tol:x', `id: "tol:x" has an unknown kind "tol"; kinds: ${NODE_KINDS.join(', ')}`],
        ['tool:', 'id: "tool:" has an empty ID after "tool:"'],
        [
          'dataset_version:sft-core',
          'id: "dataset_version:sft-core" does not name a version: dataset versions are dataset_version:DATASET@VERSION (e.g. "dataset_version:sft-core@3")',
        ],
        [
          'dataset_version:sft-core@0',
          'id: "dataset_version:sft-core@0" has version "0", not an integer from 1 to 2147483647',
        ],
        [
          'verifier:math-verify@1.0',
          'id: "verifier:math-verify@1.0" has kind "verifier", which has no audit trail: no event creates one (rewards name verifier versions)',
        ],
      ];
      for (const [nodeId, message] of cases) {
        const answer = await trail(nodeId);
        expect(answer.errors).toEqual([
          expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } }),
        ]);
      }
    });
  });

  describe('GET /v1/datasets/:datasetId/versions/:version/members', () => {
    const exportOf = (datasetIdOf: string, version: number | string) =>
      fetch(
        `${under.url}/v1/datasets/${encodeURIComponent(datasetIdOf)}/versions/${version}/members`,
      );
    const lines = (body: string) =>
      body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line));

    it('streams the members as NDJSON in code point order, with both hashes in the headers', async () => {
      const response = await exportOf(datasetId, 6);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const hash = datasetContentHash(v6Ids);
      expect(response.headers.get('x-dataset-sealed')).toBe('true');
      expect(response.headers.get('x-dataset-sealed-content-hash')).toBe(hash);
      expect(response.headers.get('x-dataset-sealed-member-count')).toBe('4');
      expect(response.headers.get('x-dataset-computed-content-hash')).toBe(hash);
      expect(response.headers.get('x-dataset-member-count')).toBe('4');
      const body = await response.text();
      expect(body.endsWith('\n')).toBe(true);
      const position = await positionOf(v6Members);
      expect(lines(body)).toEqual(
        [`${tag}-B`, `${tag}-a`, `${tag}-\uFF5E`, `${tag}-\u{1F600}`].map((memberId) => ({
          memberId,
          memberKind: 'trajectory',
          addedByEventId: v6Members.id,
          position,
        })),
      );
      // What a training job does: hash the ids as they come, compare with the header.
      expect(
        sha256(
          lines(body)
            .map((line) => line.memberId)
            .join('\n'),
        ),
      ).toBe(hash);
    });

    it('pages through large versions from Postgres; an unsealed one carries its computed hash', async () => {
      const response = await exportOf(datasetId, 7);
      expect(response.headers.get('x-dataset-sealed')).toBe('false');
      expect(response.headers.get('x-dataset-sealed-content-hash')).toBeNull();
      expect(response.headers.get('x-dataset-member-count')).toBe('12000');
      const exported = lines(await response.text());
      expect(exported).toHaveLength(12_000);
      const ids = exported.map((line) => line.memberId);
      expect(ids).toEqual(sorted(v7Ids));
      expect(sha256(ids.join('\n'))).toBe(response.headers.get('x-dataset-computed-content-hash'));
      expect(response.headers.get('x-dataset-computed-content-hash')).toBe(
        datasetContentHash(v7Ids),
      );
      const [first, second] = await Promise.all(v7Members.map(positionOf));
      expect(new Set(exported.map((line) => line.position))).toEqual(new Set([first, second]));
    });

    it('exports what was sealed, not members that came after the seal', async () => {
      const response = await exportOf(datasetId, 2);
      const exported = lines(await response.text());
      expect(exported.map((line) => line.memberId)).toEqual(sorted(v2Ids));
      expect(response.headers.get('x-dataset-computed-content-hash')).toBe(
        response.headers.get('x-dataset-sealed-content-hash'),
      );
    });

    it('answers 404 for an unknown version and 400 for a malformed one', async () => {
      const unknown = await exportOf(datasetId, 99);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: `dataset ${JSON.stringify(datasetId)} has no version 99`,
      });
      const malformed = await exportOf(datasetId, 'latest');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'version: must be an integer from 1 to 2147483647 (got "latest")',
      });
    });
  });

  describe('tracker audit dataset (the built CLI)', () => {
    it('exits 0 for a verified version without findings', async () => {
      const through = await lastJournalPosition();
      const hash = datasetContentHash([g1, g2]);
      const run = await runCli(['audit', 'dataset', `${datasetId}@1`]);
      expect(run).toEqual({
        code: 0,
        stderr: '',
        stdout: [
          `dataset ${datasetId} version 1`,
          `  sealed             yes, at 2026-11-20T12:01:00.000Z`,
          `  content hash`,
          `    sealed           ${hash}`,
          `    computed         ${hash}  (match)`,
          `  member count`,
          `    sealed           2`,
          `    computed         2 trajectory  (match)`,
          `  verified           yes`,
          `  journal position   ${through}`,
          `findings: none`,
          ``,
        ].join('\n'),
      });
    });

    it('exits 1 and lists each finding with its members', async () => {
      const through = await lastJournalPosition();
      const hash = datasetContentHash(v2Ids);
      const run = await runCli(['audit', 'dataset', `${datasetId}@2`]);
      expect(run).toEqual({
        code: 1,
        stderr: '',
        stdout: [
          `dataset ${datasetId} version 2`,
          `  sealed             yes, at 2026-11-20T12:02:00.000Z`,
          `  content hash`,
          `    sealed           ${hash}`,
          `    computed         ${hash}  (match)`,
          `  member count`,
          `    sealed           6`,
          `    computed         6 trajectory  (match)`,
          `  verified           yes`,
          `  journal position   ${through}`,
          `findings: 7`,
          `  duplicate_member: 1 member addition(s) repeated members already in the version`,
          `    event      ${v2Duplicate.id} (journal position ${await positionOf(v2Duplicate)})`,
          `    members    (1) ${g1}`,
          `  added_after_seal: 1 member(s) arrived after version 2 was sealed and were not added`,
          `    event      ${v2Late.id} (journal position ${await positionOf(v2Late)})`,
          `    members    (1) ${late}`,
          `  sealed_again: sealed again with hash ${v2SealAgain.data.contentHash} and 7 member(s); the first seal stands`,
          `    event      ${v2SealAgain.id} (journal position ${await positionOf(v2SealAgain)})`,
          `  unknown_member: 1 trajectory member never recorded (no trajectory.recorded)`,
          `    members    (1) ${neverRecorded}`,
          `  judge_rejected: 1 trajectory member rejected by the judge (judgement.passed = false)`,
          `    members    (1) ${id(rejected)}`,
          `  failed_synthesis_run: 1 trajectory member from synthesis runs that failed: ${runFailedId}`,
          `    runs       ${runFailedId}`,
          `    members    (1) ${id(fromFailedRun)}`,
          `  unregistered_tool: 1 trajectory member calling tools never registered: ${unregisteredToolId}`,
          `    tools      ${unregisteredToolId}`,
          `    members    (1) ${id(unregistered)}`,
          ``,
        ].join('\n'),
      });
    });

    it('exits 1 for a hash mismatch, and truncates long member lists', async () => {
      const mismatch = await runCli(['audit', 'dataset', `${datasetId}@3`]);
      expect(mismatch.code).toBe(1);
      expect(mismatch.stdout).toContain(
        `    computed         ${datasetContentHash([g1, id(rejected)])}  (MISMATCH)\n`,
      );
      expect(mismatch.stdout).toContain('  verified           no\n');
      const long = await runCli(['audit', 'dataset', `${datasetId}@7`]);
      expect(long.code).toBe(1);
      const shown = sorted(v7Ids).slice(0, 10).join(', ');
      expect(long.stdout).toContain(`    members    (12000) ${shown} ... and 11990 more\n`);
    });

    it('audits as of a time, and prints JSON on request', async () => {
      const run = await runCli([
        'audit',
        'dataset',
        `${datasetId}@2`,
        '--as-of',
        afterPhase1.toISOString(),
        '--json',
      ]);
      expect(run.code).toBe(1);
      const printed = JSON.parse(run.stdout);
      expect(printed).toMatchObject({
        datasetId,
        version: 2,
        asOf: afterPhase1.toISOString(),
        sealed: false,
        computedMemberCount: 5,
        computedContentHash: datasetContentHash(v2Phase1Ids),
        verified: false,
      });
      expect(printed.findings.map((finding: { kind: string }) => finding.kind)).toEqual([
        'unknown_member',
        'judge_rejected',
        'failed_synthesis_run',
        'unregistered_tool',
      ]);
    });

    it('exits 2 for an unknown version or a usage error', async () => {
      expect(await runCli(['audit', 'dataset', `${datasetId}@99`])).toEqual({
        code: 2,
        stdout: '',
        stderr: `dataset ${JSON.stringify(datasetId)} has no version 99\n`,
      });
      const usage = 'usage: tracker audit dataset DATASET@VERSION [--as-of TIME] [--json]\n';
      expect(await runCli(['audit', 'dataset', datasetId])).toEqual({
        code: 2,
        stdout: '',
        stderr: `${JSON.stringify(datasetId)} is not DATASET@VERSION with VERSION an integer from 1 (e.g. sft-core@3)\n${usage}`,
      });
      expect(await runCli(['audit', 'model', 'x@1'])).toEqual({
        code: 2,
        stdout: '',
        stderr: `cannot audit "model": only "dataset"\n${usage}`,
      });
    });
  });

  describe('as members arrive before what they name', () => {
    // Members first; their trajectory, task, run and tool later, in separate transactions. The
    // current audit follows each arrival; an as-of audit counts only what was journaled by then.
    const lateDatasetId = freshId('sft-late');
    const latePromptsId = freshId('prompts-late');
    const lateRun = synthesisStartedEvent({ name: 'run that fails later' });
    const lateToolId = freshId('tool-registered-late');
    const lateTool = toolRegisteredEvent({ toolId: lateToolId, name: 'late_tool' });
    const lateTrajectory = trajectory(lateRun.data.synthesisRunId, false, [
      toolA.data.toolId,
      lateToolId,
    ]);
    const lateTask = taskDefinedEvent({ agentId: agent.data.agentId });
    const lateId = id(lateTrajectory);
    let membersOnly: Date;
    let recorded: Date;

    beforeAll(async () => {
      await sendAndProject([
        datasetMembersAddedEvent({
          datasetId: lateDatasetId,
          version: 1,
          memberKind: 'trajectory',
          memberIds: [g1, lateId],
        }),
        datasetMembersAddedEvent({
          datasetId: latePromptsId,
          version: 1,
          memberKind: 'task',
          memberIds: [lateTask.data.taskId],
        }),
      ]);
      membersOnly = await journalMoment();
      await sendAndProject([lateRun, lateTrajectory]);
      await sendAndProject([lateTask]);
      recorded = await journalMoment();
      await sendAndProject([lateTool]);
      await sendAndProject([
        synthesisCompletedEvent({ synthesisRunId: lateRun.data.synthesisRunId, status: 'failed' }),
      ]);
    });

    const kinds = (answer: { findings: Array<Record<string, unknown>> }) =>
      answer.findings.map(({ kind, memberIds, toolIds, synthesisRunIds }) => ({
        kind,
        memberIds,
        toolIds,
        synthesisRunIds,
      }));
    const finding = (kind: string, related: Record<string, string[]> = {}) => ({
      kind,
      memberIds: [lateId],
      toolIds: [],
      synthesisRunIds: [],
      ...related,
    });

    it('follows each later arrival in the current audit', async () => {
      expect(kinds(await audit(lateDatasetId, 1))).toEqual([
        finding('judge_rejected'),
        finding('failed_synthesis_run', { synthesisRunIds: [lateRun.data.synthesisRunId] }),
      ]);
      expect(kinds(await audit(latePromptsId, 1))).toEqual([]);
    });

    it('as of a time, counts trajectories, tasks, tools and run outcomes journaled by then', async () => {
      expect(kinds(await audit(lateDatasetId, 1, membersOnly))).toEqual([
        finding('unknown_member'),
      ]);
      expect(kinds(await audit(latePromptsId, 1, membersOnly))).toEqual([
        { ...finding('unknown_member'), memberIds: [lateTask.data.taskId] },
      ]);
      expect(kinds(await audit(lateDatasetId, 1, recorded))).toEqual([
        finding('judge_rejected'),
        finding('unregistered_tool', { toolIds: [lateToolId] }),
      ]);
      expect(kinds(await audit(latePromptsId, 1, recorded))).toEqual([]);
    });

    it('gives the same answer now and as of now, for every version (kept and recomputed checks)', async () => {
      const versions: Array<[string, number]> = [
        ...[1, 2, 3, 4, 5, 6, 7].map((version): [string, number] => [datasetId, version]),
        [promptSetId, 1],
        [lateDatasetId, 1],
        [latePromptsId, 1],
      ];
      const now = await journalMoment();
      for (const [datasetIdOf, version] of versions) {
        const current = await audit(datasetIdOf, version);
        const asOfNow = await audit(datasetIdOf, version, now);
        expect({ datasetIdOf, version, ...asOfNow, asOf: null }).toEqual({
          datasetIdOf,
          version,
          ...current,
        });
      }
    });
  });
});
