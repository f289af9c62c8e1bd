import { loadConfig } from '@tracker/config';
import {
  createTestDatabase,
  graphql,
  rolloutCompletedEvent,
  type TestDatabase,
} from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../apps/cli/src/tracker-app';

// Lag must be measured against the log as it is now, not as the projector last saw it: with
// no projector running, accepted events show up as lag.
describe('projectorStatus against the log', () => {
  let database: TestDatabase;
  let api: RunningTracker;
  beforeAll(async () => {
    database = await createTestDatabase('status');
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' });
    api = await startTracker(config, { api: true, projector: false }, false);
  });
  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('reports accepted but unprojected events as lag when no projector runs', async () => {
    const response = await fetch(`${api.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        rolloutCompletedEvent(),
        rolloutCompletedEvent(),
        rolloutCompletedEvent(),
      ]),
    });
    expect(((await response.json()) as { accepted: number }).accepted).toBe(3);
    const data = await graphql(
      api.url!,
      `
        {
          projectorStatus {
            logReachable
            totalLag
            journalEvents
            partitions {
              topic
              partition
              lastOffset
              highWatermark
              lag
              updatedAt
            }
          }
        }
      `,
    );
    expect(data.projectorStatus).toEqual({
      logReachable: true,
      totalLag: 3,
      journalEvents: 0,
      partitions: [
        {
          topic: 'embedded',
          partition: 0,
          lastOffset: null,
          highWatermark: '4',
          lag: 3,
          updatedAt: null,
        },
      ],
    });
  });
});
