import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  BUILT_CLI,
  expectEventually,
  graphql,
  rewardAssignedEvent,
  rolloutCompletedEvent,
} from '@tracker/testing';

/** `tracker start` as the README runs it (the built CLI), resolved with its base URL. */
function startCli(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BUILT_CLI, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      TRACKER_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('tracker start printed no GraphQL URL within 60 s')),
      60_000,
    );
    child.once('exit', (code) => reject(new Error(`tracker start exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /GraphQL\s+(http:\/\/[^/]+)\/graphql/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// The zero-setup default: no DATABASE_URL, no KAFKA_BROKERS -> PGlite under a data folder and
// the embedded log, API and projector in one process. Data must survive a restart.
describe('embedded mode (tracker start: PGlite + embedded log)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracker-embedded-'));
  let running: ChildProcess | undefined;
  beforeAll(() => {
    if (!existsSync(BUILT_CLI))
      throw new Error(`${BUILT_CLI} is missing: run npm run build (npm test does)`);
  });
  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ingests, projects and answers, and keeps everything across a restart without re-applying', async () => {
    const rollout = rolloutCompletedEvent();
    const reward = rewardAssignedEvent({
      rolloutId: rollout.data.rolloutId,
      rlRunId: rollout.data.rlRunId,
      kind: 'verifiable',
      value: 1,
      verifier: { name: 'math', version: '2' },
    });
    const query = `query($id: ID!) { reward(id: $id) { id value verifier { name version } rollout { id } }
                    projectorStatus { journalEvents totalLag } }`;

    const first = await startCli(dataDir);
    running = first.child;
    const response = await fetch(`${first.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify(rollout)}\n${JSON.stringify(reward)}\n`,
    });
    expect(await response.json()).toEqual({ accepted: 2, rejected: [] });
    await expectEventually(async () => {
      const data = await graphql(first.url, query, { id: reward.data.rewardId });
      expect(data.reward).toEqual({
        id: reward.data.rewardId,
        value: 1,
        verifier: { name: 'math', version: '2' },
        rollout: { id: rollout.data.rolloutId },
      });
      expect(data.projectorStatus).toEqual({ journalEvents: 2, totalLag: 0 });
    }, 20_000);
    await stop(first.child);

    const second = await startCli(dataDir);
    running = second.child;
    // Sent again after the restart: the same ids are applied once.
    await fetch(`${second.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([rollout, reward]),
    });
    await expectEventually(async () => {
      // Offsets 3 and 4 of the embedded log consumed, nothing new journaled.
      const data = await graphql(
        second.url,
        `
          {
            projectorStatus {
              journalEvents
              partitions {
                lastOffset
              }
            }
          }
        `,
      );
      expect(data.projectorStatus).toEqual({ journalEvents: 2, partitions: [{ lastOffset: '4' }] });
    }, 20_000);
    const data = await graphql(second.url, query, { id: reward.data.rewardId });
    expect(data.reward.value).toBe(1);
  }, 120_000);
});
