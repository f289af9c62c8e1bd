/**
 * bench/access: what project scoping costs. Loads bench/lineage's history (catalog, synthesis,
 * datasets and one big RL run, all in project "alpha"; its RL run smaller by default, see
 * DEFAULT) plus a small project "beta" (a synthesis run, an agent of it using a catalog tool,
 * tasks, 1,000 trajectories, an RL run of 50 steps x 100 rollouts on beta and catalog tasks)
 * through the projector's batch path, creates two read keys (every project; alpha only) and
 * times the same GraphQL questions over HTTP with each: p50/p95 and the ratio restricted / every
 * project (the key of every project is the unfiltered baseline of the same run). Then, outside
 * the timings, checks that no restricted answer holds a beta id and counts the pool queries of
 * one answer per key. Prints figures; asserts nothing.
 *
 *   npm run bench:access -- --scale 1 --runs 30
 *   npm run bench:access -- --keep              # keep the loaded database (prints its name)
 *   npm run bench:access -- --reuse tracker_bench_acc_1a2b3c4d   # time again, no load
 */
import { loadConfig } from '@tracker/config';
import {
  agentDefinedEvent,
  checkpointSavedEvent,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  synthesisStartedEvent,
  taskDefinedEvent,
  trajectoryRecordedEvent,
} from '@tracker/testing';
import { Pool } from 'pg';
import { ask, timeQuestion, type TimedQuestion } from '../timing';
import {
  historyEventCount,
  historyEvents,
  historyIds,
  PRODUCTION,
  type HistoryIds,
  type HistorySize,
  scaledHistory,
} from '../lineage/history';
import { loadThroughProjector } from '../lineage/load-history';
import { startTracker } from '../../apps/cli/src/tracker-app';
import { createApiKey } from '../../apps/api/src/access/api-keys.store';
import { numberArgument } from '../arguments';
import { benchDatabase } from '../bench-database';

const SCALE = numberArgument('scale', 1);
const RUNS = numberArgument('runs', 30);

/**
 * bench/lineage's production history with an RL run of 400 steps x 500 rollouts (a quarter of
 * production's) so that loading and timing fit in a few minutes on two cores: the catalog, the
 * 100,000 trajectories and the 50,000-member dataset version keep their production size.
 */
const DEFAULT: HistorySize = { ...PRODUCTION, rolloutsPerStep: 500 };

/** The small beta project. */
const BETA_STEPS = 50;
const BETA_ROLLOUTS_PER_STEP = 100;
const BETA_TRAJECTORIES = 1_000;
const BETA_TASKS = 10;

interface BetaIds {
  /** Every beta id starts with it (and no alpha id holds it). */
  prefix: string;
  synthesis: string;
  rlRunId: string;
  agent: string;
  task: (index: number) => string;
  trajectory: (index: number) => string;
  rollout: (step: number, index: number) => string;
  reward: (step: number, index: number) => string;
  checkpoint: (step: number) => string;
}

function betaIds(tag: string): BetaIds {
  const prefix = `${tag}-beta-`;
  return {
    prefix,
    synthesis: `${prefix}synthesis`,
    rlRunId: `${prefix}run`,
    agent: `${prefix}agent`,
    task: (index) => `${prefix}task-${index}`,
    trajectory: (index) => `${prefix}trajectory-${index}`,
    rollout: (step, index) => `${prefix}rollout-${step}-${index}`,
    reward: (step, index) => `${prefix}reward-${step}-${index}`,
    checkpoint: (step) => `${prefix}checkpoint-${step}`,
  };
}

const BETA_EVENT_COUNT =
  2 +
  1 +
  BETA_TASKS +
  BETA_TRAJECTORIES +
  BETA_STEPS * BETA_ROLLOUTS_PER_STEP * 2 +
  BETA_STEPS / 10;

/**
 * The lineage history with its runs in project alpha, and beta: its runs start first (so that
 * the first journal events hold some of beta), the rest follows alpha's history. Beta's agent
 * uses tool 5 and half of beta's rollouts run agent 1's catalog task 1, so that the lineage
 * downstream of tool 5 reaches beta.
 */
function* accessHistory(size: HistorySize, ids: HistoryIds, beta: BetaIds): Generator<object> {
  yield synthesisStartedEvent({ synthesisRunId: beta.synthesis, project: 'beta' });
  yield rlStartedEvent({
    rlRunId: beta.rlRunId,
    project: 'beta',
    policy: { model: 'k2-sft', baseCheckpointId: `${beta.prefix}base` },
    datasets: [],
  });
  for (const event of historyEvents(size, ids)) {
    const { type, data } = event as { type: string; data: { project?: string } };
    if (type === 'synthesis.started' || type === 'rl.started') data.project = 'alpha';
    yield event;
  }
  yield agentDefinedEvent({
    agentId: beta.agent,
    synthesisRunId: beta.synthesis,
    toolIds: [ids.tool(5)],
  });
  for (let index = 0; index < BETA_TASKS; index++) {
    yield taskDefinedEvent({ taskId: beta.task(index), agentId: beta.agent });
  }
  for (let index = 0; index < BETA_TRAJECTORIES; index++) {
    yield trajectoryRecordedEvent({
      trajectoryId: beta.trajectory(index),
      synthesisRunId: beta.synthesis,
      taskId: beta.task(index % BETA_TASKS),
      agentId: beta.agent,
      turns: [
        { role: 'user', content: 'task' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ toolId: ids.tool(5), arguments: {} }],
        },
      ],
      judgement: { passed: true, score: 0.9 },
    });
  }
  const catalogTask = `${ids.tag}-task-1`; // agent 1's, which uses tool 5
  for (let step = 1; step <= BETA_STEPS; step++) {
    for (let index = 0; index < BETA_ROLLOUTS_PER_STEP; index++) {
      yield rolloutCompletedEvent({
        rolloutId: beta.rollout(step, index),
        rlRunId: beta.rlRunId,
        step,
        taskId: index % 2 === 0 ? catalogTask : beta.task(index % BETA_TASKS),
        groupId: `${beta.prefix}group-${step}-${Math.floor(index / 16)}`,
        policyCheckpointId:
          step > 10 ? beta.checkpoint(Math.floor((step - 1) / 10) * 10) : undefined,
      });
      yield rewardAssignedEvent({
        rewardId: beta.reward(step, index),
        rolloutId: beta.rollout(step, index),
        rlRunId: beta.rlRunId,
        step,
        value: index % 2,
        verifier: ids.verifier,
      });
    }
    if (step % 10 === 0) {
      yield checkpointSavedEvent({
        checkpointId: beta.checkpoint(step),
        rlRunId: beta.rlRunId,
        step,
        parentCheckpointId: step > 10 ? beta.checkpoint(step - 10) : `${beta.prefix}base`,
      });
    }
  }
}

const keyed = (token: string) => ({ authorization: `Bearer ${token}` });

/** Counts the statements sent through any pg Pool of this process (the tracker's included). */
interface QueryCount {
  statements: number;
  projectsOf: number;
  /** Refs looked up by those tracker_projects_of statements. */
  refs: number;
  /** Sum of the tracker_projects_of statements' durations, ms (they may overlap). */
  projectsOfMs: number;
}

let counting: QueryCount | null = null;

function spyOnPoolQueries(): void {
  const prototype = Pool.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: Pool, ...args: unknown[]) {
    const result = original.apply(this, args);
    const count = counting;
    if (!count) return result;
    count.statements++;
    const statement =
      typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    if (statement.includes('tracker_projects_of') && result instanceof Promise) {
      count.projectsOf++;
      const values = args[1] as unknown[][] | undefined;
      count.refs += Array.isArray(values?.[0]) ? values[0].length : 0;
      const started = process.hrtime.bigint();
      const done = () => {
        count.projectsOfMs += Number(process.hrtime.bigint() - started) / 1e6;
      };
      result.then(done, done);
    }
    return result;
  };
}

async function countQueries(
  endpoint: string,
  token: string,
  question: TimedQuestion,
): Promise<QueryCount> {
  const count: QueryCount = { statements: 0, projectsOf: 0, refs: 0, projectsOfMs: 0 };
  counting = count;
  try {
    await ask(endpoint, question, keyed(token));
  } finally {
    counting = null;
  }
  return count;
}

async function main(): Promise<void> {
  const database = await benchDatabase('acc');
  const { pool, tag } = database;
  const reuse = database.reused;
  const size = scaledHistory(DEFAULT, SCALE);
  const ids = historyIds(tag);
  const beta = betaIds(tag);
  let tracker: Awaited<ReturnType<typeof startTracker>> | undefined;
  try {
    // Load: the projector's batch function (COPY path), one transaction per 5,000 events.
    const total = reuse ? 0 : historyEventCount(size) + BETA_EVENT_COUNT;
    const loadStarted = Date.now();
    if (!reuse) {
      await loadThroughProjector(pool, accessHistory(size, ids, beta), 'bench-access', total);
      await pool.query('VACUUM ANALYZE');
    }
    const loadMs = Math.max(1, Date.now() - loadStarted);
    const counts = (
      await pool.query<{ alpha: string; beta: string; rollouts: string; edges: string }>(
        `SELECT (SELECT count(*) FROM rewards r JOIN rl_runs u USING (rl_run_id) WHERE u.project = 'alpha') AS alpha,
                (SELECT count(*) FROM rewards r JOIN rl_runs u USING (rl_run_id) WHERE u.project = 'beta') AS beta,
                (SELECT count(*) FROM rollouts) AS rollouts,
                (SELECT count(*) FROM lineage_edges) AS edges`,
      )
    ).rows[0];

    // Keys before the tracker starts: it then starts out of open mode.
    const everyProject = await createApiKey(pool, {
      name: `${tag}-all`,
      scopes: ['read'],
      projects: null,
    });
    const alphaOnly = await createApiKey(pool, {
      name: `${tag}-alpha`,
      scopes: ['read'],
      projects: ['alpha'],
    });

    spyOnPoolQueries();
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' });
    tracker = await startTracker(config, { api: true, projector: false });
    const endpoint = tracker.url!;
    const middleStep = Math.floor(size.steps / 2);
    const lastCheckpointStep = Math.floor(size.steps / size.checkpointEvery) * size.checkpointEvery;
    const questions: TimedQuestion[] = [
      {
        label: 'rlRun: rewardSummary + 100 rollouts, rewards',
        target: null,
        query: `query($id: ID!) { rlRun(id: $id) { id status rewardSummary { domain kind count mean } rollouts(first: 100) { edges { node { id step task { id } rewards { id value } } } } } }`,
        variables: { id: ids.rlRunId },
      },
      {
        label: 'rewards(rlRunId, first: 500)',
        target: null,
        query: `query($id: ID!) { rewards(rlRunId: $id, first: 500) { edges { node { id value step rolloutId } } pageInfo { hasNextPage } } }`,
        variables: { id: ids.rlRunId },
      },
      {
        label: 'rewardSeries of the run (500 points)',
        target: null,
        query: `query($id: ID!) { rewardSeries(rlRunId: $id) { rlRunId points { fromStep count mean passRate } } }`,
        variables: { id: ids.rlRunId },
      },
      {
        label: 'upstream lineage of one reward, depth 10',
        target: null,
        query: `query($id: ID!) { lineage(id: $id, depth: 10) { truncated nodes { id distance } edges { src relation dst } } }`,
        variables: { id: `reward:${ids.reward(middleStep, 7)}` },
      },
      {
        label: 'downstream of one tool, depth 10',
        target: null,
        query: `query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, depth: 10) { truncated truncatedReason nodes { id } edges { src relation dst } groups { node relation rlRunId count } } }`,
        variables: { id: `tool:${ids.tool(5)}` },
      },
      {
        // A node budget large enough to reach the dataset versions and the run past beta's nodes.
        label: 'downstream of one tool, depth 10, first 2000',
        target: null,
        query: `query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, depth: 10, first: 2000) { truncated truncatedReason nodes { id } edges { src relation dst } groups { node relation rlRunId count } } }`,
        variables: { id: `tool:${ids.tool(5)}` },
      },
      {
        label: 'audit of the 50,000-member dataset version',
        target: null,
        query: `query($datasetId: ID!) { datasetAudit(datasetId: $datasetId, version: 1) { verified hashMatches memberCountMatches findings { kind memberCount memberIds } } }`,
        variables: { datasetId: ids.dataset },
      },
      {
        label: 'checkpoint provenance (last checkpoint)',
        target: null,
        query: `query($id: ID!) { checkpoint(id: $id) { provenance { checkpoints { id } runs { rlRunId upToStep } datasetVersions { datasetId version } } } }`,
        variables: { id: ids.checkpoint(lastCheckpointStep) },
      },
      {
        label: 'events(first: 500)',
        target: null,
        query: `{ events(first: 500) { edges { node { id type subject } } pageInfo { hasNextPage } } }`,
        variables: {},
      },
    ];

    const header = `  ${'question'.padEnd(46)} ${'every project p50 / p95'.padStart(24)} ${'alpha only p50 / p95'.padStart(24)}  ratio p50 / p95`;
    const lines = [
      reuse
        ? `bench/access: reusing ${database.name}; ${counts.rollouts} rollouts, rewards ${counts.alpha} alpha + ${counts.beta} beta, ${counts.edges} stored edges`
        : `bench/access: ${total} events loaded in ${(loadMs / 1000).toFixed(1)} s (${Math.round((total / loadMs) * 1000)} events/s); ${counts.rollouts} rollouts, rewards ${counts.alpha} alpha + ${counts.beta} beta, ${counts.edges} stored edges`,
      `  ${RUNS} timed runs each after 3 warm-ups, over HTTP + GraphQL, ms; ratio = alpha only / every project:`,
      header,
    ];
    const ms = (value: number) => value.toFixed(1).padStart(7);
    const answers: { label: string; all: unknown; restricted: unknown }[] = [];
    for (const question of questions) {
      const all = await timeQuestion(endpoint, question, RUNS, keyed(everyProject.token));
      const restricted = await timeQuestion(endpoint, question, RUNS, keyed(alphaOnly.token));
      answers.push({ label: question.label, all: all.data, restricted: restricted.data });
      lines.push(
        `  ${question.label.padEnd(46)} ${`${ms(all.p50)} / ${ms(all.p95)}`.padStart(24)} ${`${ms(restricted.p50)} / ${ms(restricted.p95)}`.padStart(24)}  ${(restricted.p50 / all.p50).toFixed(2).padStart(5)} / ${(restricted.p95 / all.p95).toFixed(2)}`,
      );
    }

    // Outside the timings: no beta id in a restricted answer; the beta run is refused.
    const leaks = answers.filter((entry) => JSON.stringify(entry.restricted).includes(beta.prefix));
    const withBeta = answers.filter((entry) => JSON.stringify(entry.all).includes(beta.prefix));
    let refusedAs: string;
    try {
      const data = await ask(
        endpoint,
        { label: 'the beta run', query: questions[0].query, variables: { id: beta.rlRunId } },
        keyed(alphaOnly.token),
      );
      refusedAs = data.rlRun === null ? 'null, as for an unknown id' : 'ANSWERED';
    } catch (error) {
      refusedAs = `refused (${error instanceof Error ? error.message : String(error)})`;
    }
    lines.push(
      leaks.length === 0
        ? `  restricted answers: no beta ids (checked ${answers.length} answers; ${withBeta.length} of the every-project answers hold beta ids: ${withBeta.map((entry) => entry.label).join('; ')})`
        : `  restricted answers: BETA IDS in ${leaks.map((entry) => entry.label).join('; ')}`,
      `  rlRun(id) of the beta run with the alpha key: ${refusedAs}`,
      `  one answer each (every project | alpha only): ids it lists; pool statements; alpha only's tracker_projects_of statements / refs / summed ms:`,
    );
    const idsIn = (data: unknown) => JSON.stringify(data).split(tag).length - 1;
    for (const [index, question] of questions.entries()) {
      const all = await countQueries(endpoint, everyProject.token, question);
      const restricted = await countQueries(endpoint, alphaOnly.token, question);
      const listed = `${idsIn(answers[index].all)} | ${idsIn(answers[index].restricted)}`;
      lines.push(
        `  ${question.label.padEnd(46)} ${listed.padStart(11)}; ${String(all.statements).padStart(3)} | ${String(restricted.statements).padEnd(3)}; ${restricted.projectsOf} / ${String(restricted.refs).padStart(4)} / ${restricted.projectsOfMs.toFixed(1).padStart(5)} ms`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await tracker?.close();
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
