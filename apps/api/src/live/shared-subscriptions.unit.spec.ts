import { buildSchema, parse } from 'graphql';
import { Caller } from '../access/caller';
import { shareKey } from './shared-subscriptions';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Subscription { rewardAssigned(rlRunId: ID!, afterPosition: String): Int }
`);
const key = (
  query: string,
  variableValues: Record<string, unknown> = {},
  caller: Caller | null = Caller.OPEN,
) =>
  shareKey({
    schema,
    document: parse(query),
    variableValues,
    contextValue: { caller: caller ?? undefined },
  });

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

  it('differs between callers who see different things, and is null without a caller', () => {
    const alpha = new Caller('k1', new Set(['read'] as const), new Set(['alpha']));
    const alphaToo = new Caller('k2', new Set(['read'] as const), new Set(['alpha']));
    const beta = new Caller('k3', new Set(['read'] as const), new Set(['beta']));
    expect(key(live, { run: 'a' }, alpha)).toBe(key(live, { run: 'a' }, alphaToo));
    expect(key(live, { run: 'a' }, alpha)).not.toBe(key(live, { run: 'a' }, beta));
    expect(key(live, { run: 'a' }, alpha)).not.toBe(key(live, { run: 'a' }));
    expect(key(live, { run: 'a' }, null)).toBeNull();
  });

  it('is null for queries', () => {
    expect(key(`query { ok }`)).toBeNull();
  });
});
