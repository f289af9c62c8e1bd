import { loadConfig } from '@tracker/config';
import {
  createTestDatabase,
  expectEventually,
  graphql,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';

describe('smoke', () => {
  let database: TestDatabase;
  let tracker: RunningTracker;
  beforeAll(async () => {
    database = await createTestDatabase('smoke');
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn' });
    tracker = await startTracker(config, { api: true, projector: true });
  });
  afterAll(async () => {
    await tracker?.close();
    await database?.drop();
  });
  it('answers GraphQL with cache-control: no-store (answers change as events arrive)', async () => {
    const response = await fetch(`${tracker.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ apiStatus { pid } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the page at /, its script, and uPlot; nothing else under /ui', async () => {
    const page = await fetch(`${tracker.url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/ui/app.js">');
    for (const [path, type] of [
      ['/ui/app.js', /^text\/javascript/],
      ['/ui/style.css', /^text\/css/],
      ['/ui/assets/uPlot.iife.min.js', /^text\/javascript/],
      ['/ui/assets/uPlot.min.css', /^text\/css/],
    ] as const) {
      const response = await fetch(`${tracker.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers.get('content-type')).toMatch(type);
    }
    for (const path of ['/ui/index.html', '/ui/..%2Fpackage.json', '/ui/assets/uPlot.d.ts'])
      expect({ path, status: (await fetch(`${tracker.url}${path}`)).status }).toEqual({
        path,
        status: 404,
      });
  });

  it('ingests over HTTP and answers over GraphQL', async () => {
    const rollout = rolloutCompletedEvent();
    const reward = rewardAssignedEvent({
      rolloutId: rollout.data.rolloutId,
      rlRunId: rollout.data.rlRunId,
    });
    const response = await fetch(`${tracker.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([rollout, reward, { nope: 1 }]),
    });
    const body = await response.json();
    expect(body).toEqual({
      accepted: 2,
      rejected: [{ index: 2, id: null, reason: expect.any(String) }],
    });
    await expectEventually(async () => {
      const data = await graphql(
        tracker.url!,
        `
          query ($id: ID!) {
            reward(id: $id) {
              id
              value
              rollout {
                id
                responseTokens
              }
            }
          }
        `,
        { id: reward.data.rewardId },
      );
      expect(data.reward).toEqual({
        id: reward.data.rewardId,
        value: reward.data.value,
        rollout: { id: rollout.data.rolloutId, responseTokens: rollout.data.responseTokens },
      });
    });
  });

  it('refuses an event over 1 MiB sent as parsed JSON, and accepts the rest of the request', async () => {
    const huge = rolloutCompletedEvent({
      gym: { template: 'x'.repeat(1024 * 1024), domain: 'math' },
    });
    const small = rolloutCompletedEvent();
    const response = await fetch(`${tracker.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([huge, small]),
    });
    const body = (await response.json()) as {
      accepted: number;
      rejected: Array<{ index: number; id: string; reason: string }>;
    };
    expect(body.accepted).toBe(1);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 0, id: huge.id });
    expect(body.rejected[0].reason).toMatch(
      /^event is \d+ bytes, more than the 1048576-byte limit$/,
    );
  });
});
