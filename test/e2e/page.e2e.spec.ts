import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '@tracker/config';
import { KafkaEventLogProducer } from '@tracker/log';
import {
  createTestDatabase,
  criticComparedEvent,
  criticUpdatedEvent,
  expectEventually,
  freshId,
  graphql,
  installKafkajsMockShim,
  rewardAssignedEvent,
  rlStartedEvent,
  rolloutCompletedEvent,
  startKafkaMock,
  type KafkaMock,
  type TestDatabase,
} from '@tracker/testing';
import { createApiKey } from '../../apps/api/src/access/api-keys.store';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';

// The page at `/` in a real browser (Debian's Chromium, driven by playwright-core) against a
// tracker fed through Kafka: it lists the run, draws its reward curves, critic agreement and
// finish reasons, and a reward produced to Kafka afterwards moves the chart (live, no reload).

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(__dirname, '../../test-output');

describe('the page (headless Chromium)', () => {
  const topic = `tracker.events.${randomUUID().slice(0, 8)}`;
  const rlRunId = freshId('rl');
  let kafka: KafkaMock;
  let database: TestDatabase;
  let tracker: RunningTracker;
  let producer: KafkaEventLogProducer;
  let browser: Browser;
  let page: Page;

  const produce = (events: Array<{ subject: string }>) =>
    producer.append(events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })));

  /** Rollouts and rewards of one step: two domains, two rollouts each. */
  function step(step: number, critic: string) {
    const events: Array<{ subject: string }> = [];
    const rollouts: string[] = [];
    for (const [domain, value] of [
      ['math', step % 2],
      ['math', 1],
      ['code', 0],
      ['code', 1],
    ] as const) {
      const rollout = rolloutCompletedEvent({
        rlRunId,
        step,
        finishReason: rollouts.length === 0 ? 'length' : 'stop',
      });
      rollouts.push(rollout.data.rolloutId);
      events.push(
        rollout,
        rewardAssignedEvent({ rlRunId, step, domain, value, rolloutId: rollout.data.rolloutId }),
      );
    }
    events.push(
      criticComparedEvent({
        rlRunId,
        step,
        criticVersionId: critic,
        rolloutIds: [rollouts[2], rollouts[3]],
        preferredRolloutId: rollouts[3], // the higher code reward: the critic agrees
      }),
    );
    return events;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`,
      );
    installKafkajsMockShim(); // test-only: the mock's controller id quirk (see stack notes)
    kafka = await startKafkaMock({ topics: [{ name: topic, partitions: 2 }] });
    database = await createTestDatabase('page');
    const config = loadConfig({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafka.bootstrap,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: `group-${randomUUID()}`,
      KAFKA_SESSION_TIMEOUT_MS: '3000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      PORT: '0',
      LOG_LEVEL: 'error',
    });
    tracker = await startTracker(config, { api: true, projector: true }, false);
    producer = new KafkaEventLogProducer({
      brokers: kafka.brokers,
      clientId: 'page-test',
      topic,
      logLevel: 'nothing',
    });
    const critic = freshId('critic');
    await produce([
      rlStartedEvent({ rlRunId, name: 'k2-mini agentic RL' }),
      criticUpdatedEvent({ rlRunId, step: 0, criticVersionId: critic }),
      ...[1, 2, 3, 4, 5].flatMap((number) => step(number, critic)),
    ]);
    await expectEventually(async () => {
      const data = await graphql(
        tracker.url!,
        `
          query ($id: ID!) {
            rewardSeries(rlRunId: $id) {
              points {
                fromStep
              }
            }
          }
        `,
        { id: rlRunId },
      );
      expect(data.rewardSeries[0].points).toHaveLength(5);
    }, 30_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await producer?.close();
    await tracker?.close();
    await database?.drop();
    await kafka?.stop();
  });

  const pageState = () =>
    page.evaluate(() => {
      const state = (globalThis as unknown as { trackerPage: Record<string, any> }).trackerPage;
      return {
        runs: (state.runs as Array<{ id: string }>).map((run) => run.id),
        domains: state.domains as string[],
        steps: state.steps as number[],
        updates: state.updates as number,
        finishReasons: state.finishReasons as Record<string, number> | undefined,
        ready: state.ready as boolean | undefined,
      };
    });

  it('lists the run and draws its curves, critic agreement and finish reasons', async () => {
    await page.goto(`${tracker.url!}/#run=${encodeURIComponent(rlRunId)}`);
    await expectEventually(async () => expect((await pageState()).ready).toBe(true));
    const state = await pageState();
    expect(state.steps).toEqual([1, 2, 3, 4, 5]);
    expect(state.runs).toContain(rlRunId);
    expect(state.domains).toEqual(['code', 'math']);
    expect(state.finishReasons).toEqual({ stop: 15, length: 5 });
    expect(await page.textContent('#run-name')).toBe('k2-mini agentic RL');
    expect(await page.locator('#chart-mean canvas').count()).toBe(1);
    // One critic version: 5 decisive pairs, all agreeing.
    const critics = await page.locator('#critics tbody tr').allTextContents();
    expect(critics).toHaveLength(1);
    expect(critics[0]).toContain('1.000');
    await expectEventually(async () =>
      expect(await page.locator('#connection').textContent()).toBe('live'),
    );
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'page-run.png'), fullPage: true });
  });

  it('moves the chart when a reward is produced to Kafka, without a reload', async () => {
    const before = await pageState();
    await produce(step(6, freshId('critic')));
    // Step 6: math rewards 0 and 1, code rewards 0 and 1 (see step()).
    await expectEventually(
      async () =>
        expect(
          await page.evaluate(() => {
            const { series } = (
              globalThis as unknown as {
                trackerPage: {
                  series: Record<string, Map<number, { mean: number; count: number }>>;
                };
              }
            ).trackerPage;
            return { math: series.math?.get(6), code: series.code?.get(6) };
          }),
        ).toMatchObject({ math: { mean: 0.5, count: 2 }, code: { mean: 0.5, count: 2 } }),
      15_000,
    );
    expect((await pageState()).steps).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await pageState()).updates).toBeGreaterThan(before.updates);
    // What uPlot draws: the x axis of the mean chart now ends at step 6.
    const drawn = await page.evaluate(() =>
      (
        globalThis as unknown as { trackerPage: { chartSteps: () => number[] } }
      ).trackerPage.chartSteps(),
    );
    expect(drawn).toEqual([1, 2, 3, 4, 5, 6]);
    await page.screenshot({ path: join(OUTPUT, 'page-run-live.png'), fullPage: true });
  });

  // Last: the first key ends open mode for this tracker.
  it('asks for a key once the tracker requires one, and goes live with it', async () => {
    const { token } = await createApiKey(database.pool, { name: 'browser', scopes: ['read'] });
    const keyed = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const asked: string[] = [];
    keyed.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept(token);
    });
    try {
      await keyed.goto(`${tracker.url!}/#run=${encodeURIComponent(rlRunId)}`);
      await expectEventually(async () =>
        expect(
          await keyed.evaluate(
            () => (globalThis as unknown as { trackerPage: { ready?: boolean } }).trackerPage.ready,
          ),
        ).toBe(true),
      );
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain('this tracker requires an API key');
      // The subscriptions' connection carries the key too.
      await expectEventually(async () =>
        expect(await keyed.locator('#connection').textContent()).toBe('live'),
      );
      await produce(step(7, freshId('critic')));
      await expectEventually(
        async () =>
          expect(
            await keyed.evaluate(() => {
              const { series } = (
                globalThis as unknown as {
                  trackerPage: { series: Record<string, Map<number, { count: number }>> };
                }
              ).trackerPage;
              return series.math?.get(7)?.count;
            }),
          ).toBe(2),
        15_000,
      );
    } finally {
      await keyed.close();
    }
  });
});
