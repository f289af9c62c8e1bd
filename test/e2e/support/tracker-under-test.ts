import { loadConfig } from '@tracker/config';
import { createTestDatabase, expectEventually, graphql, type TestDatabase } from '@tracker/testing';
import { startTracker, type RunningTracker } from '../../../apps/cli/src/tracker-app';

/** What the e2e suites need of a wire event. */
export interface SentEvent {
  id: string;
  type: string;
}

/**
 * A booted tracker (API and projector, embedded log) on a database of its own, with the calls
 * the e2e suites make of it: GraphQL, and sending events through POST /v1/events.
 */
export class TrackerUnderTest {
  private constructor(
    readonly database: TestDatabase,
    readonly tracker: RunningTracker,
  ) {}

  /** `env`: more configuration, as environment variables (see libs/config). */
  static async start(prefix: string, env: Record<string, string> = {}): Promise<TrackerUnderTest> {
    const database = await createTestDatabase(prefix);
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn', ...env });
    return new TrackerUnderTest(
      database,
      await startTracker(config, { api: true, projector: true }),
    );
  }

  get url(): string {
    return this.tracker.url!;
  }

  gql<Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
    return graphql<Data>(this.url, query, variables);
  }

  /** Sends events in one request; every one must be accepted. */
  async send(events: readonly SentEvent[]): Promise<void> {
    const response = await fetch(`${this.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: events.length, rejected: [] });
  }

  /** Sends events and waits until the last one is journaled (those before it are then too). */
  async sendAndProject(events: readonly SentEvent[]): Promise<void> {
    await this.send(events);
    const last = events.at(-1)!.id;
    await expectEventually(async () => {
      const data = await this.gql(`query($id: ID!) { event(id: $id) { id } }`, { id: last });
      expect(data.event).toEqual({ id: last });
    });
  }

  async stop(): Promise<void> {
    await this.tracker?.close();
    await this.database?.drop();
  }
}
