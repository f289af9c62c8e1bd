import { buildSchema, parse } from 'graphql';
import { shareKey } from './shared-subscriptions';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { rewardAssigned(rlRunId: ID!, afterPosition: String): Int }
`);
const key = (query: string, variableValues: Record<string, unknown> = {}) =>
  shareKey({ schema, document: parse(query), variableValues });

describe('shareKey', () => {
  const live = `subscription($run: ID!, $after: String) { rewardAssigned(rlRunId: $run, afterPosition: $after) }`;

  it('is the same for the same operation and variables, and differs with the variables', () => {
    expect(key(live, { run: 'a' })).not.toBeNull();
    expect(key(live, { run: 'a' })).toBe(key(live, { run: 'a' }));
    expect(key(live, { run: 'a' })).not.toBe(key(live, { run: 'b' }));
  });

  it('is null for a subscriber resuming from a position: it replays its own history', () => {
    expect(key(live, { run: 'a', after: '12' })).toBeNull();
    expect(key(`subscription { rewardAssigned(rlRunId: "a", afterPosition: "12") }`)).toBeNull();
    expect(
      key(`subscription { rewardAssigned(rlRunId: "a", afterPosition: null) }`),
    ).not.toBeNull();
  });

  it('is null for queries', () => {
    expect(key(`query { ok }`)).toBeNull();
  });
});
