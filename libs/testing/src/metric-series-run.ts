import type { EventData } from '@tracker/events';
import {
  freshId,
  rewardAssignedEvent,
  rolloutCompletedEvent,
  type WireEvent,
} from './event-builders';
import { seededRandom } from './joined-metrics-run';

// A generated pair of RL runs for the step series (rewardSeries, rolloutSeries), seeded so that
// a failure can be replayed: dense early steps then sparse late ones (up to step ~1,100, so
// that buckets of 8, 64 and 512 steps occur), several domains, kinds and judges, hack flags,
// every finish reason, token counts from 0 to 2^31 - 1, partial rollouts continued later. The
// events come shuffled (rewards before their rollouts), with redeliveries (the same event id
// again) and reused entity ids (another event, the same rollout or reward id: the first wins).

export type SeriesWireEvent = WireEvent<'rollout.completed'> | WireEvent<'reward.assigned'>;

export interface MetricSeriesRun {
  /** Two RL runs; the second is short. */
  readonly rlRunIds: readonly [string, string];
  /** Every event to send, in this order. */
  readonly events: SeriesWireEvent[];
}

// (domain, kind, judge) of the rewards; math has two kinds and two verifier versions.
const JUDGES: ReadonlyArray<
  Pick<EventData<'reward.assigned'>, 'domain' | 'kind' | 'verifier' | 'criticVersionId'>
> = [
  { domain: 'math', kind: 'verifiable', verifier: { name: 'math-verify', version: '1.0' } },
  { domain: 'math', kind: 'verifiable', verifier: { name: 'math-verify', version: '1.1' } },
  { domain: 'coding', kind: 'verifiable', verifier: { name: 'unit-tests', version: '2' } },
  { domain: 'creative_writing', kind: 'self_critic', criticVersionId: 'critic-1' },
  { domain: 'creative_writing', kind: 'self_critic', criticVersionId: 'critic-2' },
  { domain: 'math', kind: 'human' },
];
const FINISH_REASONS = [
  'stop',
  'length',
  'repeat',
  'budget',
  'tool_error',
  'partial',
  'aborted',
  undefined,
] as const;

export function metricSeriesRun(seed: number): MetricSeriesRun {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const integer = (below: number) => Math.floor(random() * below);
  const rlRunIds = [freshId('rl-series'), freshId('rl-series')] as const;
  const events: SeriesWireEvent[] = [];

  const steps = (dense: number, sparse: number, last: number) => {
    const picked = new Set(Array.from({ length: dense }, (_, step) => step));
    while (picked.size < dense + sparse) picked.add(dense + integer(last - dense + 1));
    return [...picked].sort((a, b) => a - b);
  };
  const responseTokens = () =>
    pick([
      () => 0,
      () => 1,
      () => 2 ** integer(16),
      () => 2 ** integer(16) - 1,
      () => integer(40_000),
      () => integer(40_000),
      () => integer(3_000),
      () => 2_147_483_647 - integer(5),
    ])();

  for (const [runIndex, rlRunId] of rlRunIds.entries()) {
    const earlier: string[] = [];
    for (const step of runIndex === 0 ? steps(30, 14, 1_100) : steps(0, 12, 60)) {
      for (let k = 1 + integer(4); k > 0; k--) {
        const rolloutId = freshId('rollout');
        const rollout = rolloutCompletedEvent({
          rolloutId,
          rlRunId,
          step,
          responseTokens: responseTokens(),
          promptTokens: chance(0.8) ? integer(4_000) : undefined,
          numTurns: chance(0.7) ? 1 + integer(12) : undefined,
          numToolCalls: chance(0.6) ? integer(9) : undefined,
          finishReason: pick(FINISH_REASONS),
          partialOf: earlier.length > 0 && chance(0.15) ? pick(earlier) : undefined,
        });
        earlier.push(rolloutId);
        events.push(rollout);
        if (chance(0.06)) {
          // The same rollout id again, another step and length: the first one counts.
          events.push(
            rolloutCompletedEvent({
              ...rollout.data,
              step: step + 1,
              responseTokens: responseTokens(),
              finishReason: 'aborted',
            }),
          );
        }
        for (let r = integer(4); r > 0; r--) {
          const judge = pick(JUDGES);
          const reward = rewardAssignedEvent({
            rolloutId,
            rlRunId,
            step,
            ...judge,
            verifier: judge.verifier,
            value:
              judge.kind === 'verifiable'
                ? integer(2)
                : Math.round((random() * 2 - 1) * 1e6) / 1e5 + (chance(0.2) ? 1e3 : 0),
            hackCheck: chance(0.3) ? undefined : { flagged: chance(0.25) },
          });
          events.push(reward);
          if (chance(0.05)) {
            // The same reward id again with another value: the first one counts.
            events.push(
              rewardAssignedEvent({
                ...reward.data,
                value: judge.kind === 'verifiable' ? 1 - reward.data.value : reward.data.value + 7,
              }),
            );
          }
        }
      }
    }
  }
  // Shuffled (rewards before their rollouts), and some events delivered twice.
  for (let index = events.length - 1; index > 0; index--) {
    const other = integer(index + 1);
    [events[index], events[other]] = [events[other], events[index]];
  }
  for (let copies = Math.floor(events.length / 20); copies > 0; copies--)
    events.splice(integer(events.length + 1), 0, pick(events));
  return { rlRunIds, events };
}
