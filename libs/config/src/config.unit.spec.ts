import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has defaults that run the tracker open on loopback, with per-key limits', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      ingestMaxEvents: 10_000,
      ingestKeyEventsPerSecond: 20_000,
      ingestKeyBurstEvents: 40_000,
      subscriptionConnectionsPerKey: 100,
      projectorAllowedProjects: null,
      lineageTimeoutMs: 10_000,
    });
  });

  it('keeps the burst at least one request deep, and reads the access settings', () => {
    expect(loadConfig({ INGEST_KEY_EVENTS_PER_SECOND: '100' }).ingestKeyBurstEvents).toBe(10_000);
    expect(
      loadConfig({
        INGEST_KEY_EVENTS_PER_SECOND: '100',
        INGEST_KEY_BURST_EVENTS: '250',
        SUBSCRIPTION_CONNECTIONS_PER_KEY: '3',
        PROJECTOR_ALLOWED_PROJECTS: ' alpha, beta ,,',
        LINEAGE_TIMEOUT_MS: '2500',
      }),
    ).toMatchObject({
      ingestKeyEventsPerSecond: 100,
      ingestKeyBurstEvents: 250,
      subscriptionConnectionsPerKey: 3,
      projectorAllowedProjects: ['alpha', 'beta'],
      lineageTimeoutMs: 2500,
    });
  });

  it('lists every bad value at once, naming the variable and its range', () => {
    let error: unknown;
    try {
      loadConfig({ INGEST_KEY_EVENTS_PER_SECOND: '0', SUBSCRIPTION_CONNECTIONS_PER_KEY: 'many' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'INGEST_KEY_EVENTS_PER_SECOND="0": must be an integer from 1 to 100000000',
      'SUBSCRIPTION_CONNECTIONS_PER_KEY="many": must be an integer from 1 to 1000000',
    ]);
  });
});
