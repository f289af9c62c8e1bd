/**
 * bench/lineage: loads a production-sized history (20,000 tools, 2,000 agents, 100,000
 * trajectories, 5 dataset versions, one RL run of 400 steps x 2,000 rollouts with one reward
 * each) through the projector's own batch path, then times the lineage, impact, audit and
 * provenance questions over GraphQL (HTTP included): p50/p95 of each. Prints figures; asserts
 * nothing.
 *
 *   npm run bench:lineage -- --scale 1 --runs 30
 *   npm run bench:lineage -- --keep              # keep the loaded database (prints its name)
 *   npm run bench:lineage -- --reuse tracker_bench_lin_1a2b3c4d   # time again, no load
 */
import { loadConfig } from '@tracker/config';
import { timeQuestion, type TimedQuestion } from '../timing';
import { loadThroughProjector } from './load-history';
import { startTracker } from '../../apps/cli/src/tracker-app';
import { historyEventCount, historyEvents, historyIds, PRODUCTION, scaledHistory } from './history';
import { numberArgument } from '../arguments';
import { benchDatabase } from '../bench-database';

const SCALE = numberArgument('scale', 1);
const RUNS = numberArgument('runs', 30);

async function main(): Promise<void> {
  const database = await benchDatabase('lin');
  const { pool, tag } = database;
  const reuse = database.reused;
  const size = scaledHistory(PRODUCTION, SCALE);
  const ids = historyIds(tag);
  let tracker: Awaited<ReturnType<typeof startTracker>> | undefined;
  try {
    // Load: the projector's batch function (COPY path), one transaction per 5,000 events.
    const total = reuse ? 0 : historyEventCount(size);
    const loadStarted = Date.now();
    if (!reuse) {
      await loadThroughProjector(pool, historyEvents(size, ids), 'bench-lineage', total);
      await pool.query('VACUUM ANALYZE');
    }
    const loadMs = Math.max(1, Date.now() - loadStarted);
    const counts = (
      await pool.query<{ rewards: string; rollouts: string; edges: string }>(
        `SELECT (SELECT count(*) FROM rewards) AS rewards, (SELECT count(*) FROM rollouts) AS rollouts,
                (SELECT count(*) FROM lineage_edges) AS edges`,
      )
    ).rows[0];

    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' });
    tracker = await startTracker(config, { api: true, projector: false });
    const endpoint = tracker.url!;
    const middleStep = Math.floor(size.steps / 2);
    const lastCheckpointStep = Math.floor(size.steps / size.checkpointEvery) * size.checkpointEvery;
    const questions: TimedQuestion[] = [
      {
        label: 'upstream lineage of one reward, depth 10',
        target: 50,
        query: `query($id: ID!) { lineage(id: $id, depth: 10) { truncated nodes { id distance } edges { src relation dst } } }`,
        variables: { id: `reward:${ids.reward(middleStep, 7)}` },
      },
      {
        label: 'impact of one verifier version (whole run)',
        target: 500,
        query: `query($verifier: VerifierRef) { impact(verifier: $verifier) { rewardCount runs { rlRunId rewardCount firstStep lastStep domains checkpointsAfterFirstStep { id step } rewards(first: 10) { edges { node { id } } } } } }`,
        variables: { verifier: ids.verifier },
      },
      {
        label: 'downstream of one tool, depth 10',
        target: 50,
        query: `query($id: ID!) { lineage(id: $id, direction: DOWNSTREAM, depth: 10) { truncated truncatedReason nodes { id } groups { node relation rlRunId count } } }`,
        variables: { id: `tool:${ids.tool(5)}` },
      },
      {
        label: 'impact of one tool (agents ... RL runs)',
        target: 500,
        query: `query($id: ID!) { toolImpact(id: $id) { tools { count } agents { count ids } tasks { count } trajectories { count } datasetVersions { datasetId version } runs { rlRunId rolloutCount firstStep lastStep } } }`,
        variables: { id: ids.tool(5) },
      },
      {
        label: 'audit of the 50,000-member dataset version',
        target: 50,
        query: `query($datasetId: ID!) { datasetAudit(datasetId: $datasetId, version: 1) { verified hashMatches memberCountMatches findings { kind memberCount memberIds } } }`,
        variables: { datasetId: ids.dataset },
      },
      {
        // Works the checks out from the journal (no maintained issues hold for a past time).
        label: 'the same audit as of now (journal-time path)',
        target: null,
        query: `query($datasetId: ID!, $asOf: DateTime) { datasetAudit(datasetId: $datasetId, version: 1, asOf: $asOf) { verified hashMatches memberCountMatches findings { kind memberCount memberIds } } }`,
        variables: { datasetId: ids.dataset, asOf: new Date().toISOString() },
      },
      {
        label: 'checkpoint provenance (last checkpoint)',
        target: 50,
        query: `query($id: ID!) { checkpoint(id: $id) { provenance { checkpoints { id } runs { rlRunId upToStep verifiers { name version rewardCount } } datasetVersions { datasetId version } } } }`,
        variables: { id: ids.checkpoint(lastCheckpointStep) },
      },
    ];
    const lines = [
      reuse
        ? `bench/lineage: reusing ${database.name}; ${counts.rollouts} rollouts, ${counts.rewards} rewards, ${counts.edges} stored edges`
        : `bench/lineage: ${total} events loaded in ${(loadMs / 1000).toFixed(1)} s (${Math.round((total / loadMs) * 1000)} events/s); ${counts.rollouts} rollouts, ${counts.rewards} rewards, ${counts.edges} stored edges`,
      `  ${RUNS} timed runs each after 3 warm-ups, over HTTP + GraphQL:`,
    ];
    for (const question of questions) {
      const { figures } = await timeQuestion(endpoint, question, RUNS);
      lines.push(`  ${question.label.padEnd(46)} ${figures}`);
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
