import type { ChildProcess } from 'node:child_process';
import {
  LogRefusedError,
  LogUnavailableError,
  type EventLogProducer,
  type LogRecord,
} from '@tracker/log';
import { expectEventually, rewardAssignedEvent, rolloutCompletedEvent } from '@tracker/testing';
import type { Pool } from 'pg';

/** One rollout and its reward, as records for the log (key = subject). */
export interface EventPair {
  readonly ids: readonly [string, string];
  readonly records: readonly LogRecord[];
  readonly events: readonly [unknown, unknown];
}

interface RunTotals {
  rewards: number;
  valueSum: number;
}

/**
 * What a fault test has had accepted: the oracle its projection is compared with. Only pairs
 * whose append succeeded are recorded, so a pair sent again after a failed append counts once.
 */
export class AcceptedEvents {
  readonly ids = new Set<string>();
  private readonly runs = new Map<string, RunTotals>();
  private made = 0;

  constructor(private readonly runPrefix: string) {}

  /** `count` new rollout/reward pairs over 16 runs (so they spread over the partitions). */
  makePairs(count: number): EventPair[] {
    const pairs: EventPair[] = [];
    for (let index = 0; index < count; index++, this.made++) {
      const rlRunId = `${this.runPrefix}-${this.made % 16}`;
      const rollout = rolloutCompletedEvent({ rlRunId, step: this.made % 40 });
      // Values alternate so that the rollups' sums check which rewards were counted.
      const reward = rewardAssignedEvent({
        rlRunId,
        rolloutId: rollout.data.rolloutId,
        step: rollout.data.step,
        value: this.made % 3 === 0 ? 0 : 1,
      });
      pairs.push({
        ids: [rollout.id, reward.id],
        events: [rollout, reward],
        records: [rollout, reward].map((event) => ({
          key: event.subject,
          value: JSON.stringify(event),
        })),
      });
    }
    return pairs;
  }

  /** Records pairs the log has accepted (again, for a retried append: counted once). */
  accept(pairs: readonly EventPair[]): void {
    for (const pair of pairs) {
      if (this.ids.has(pair.ids[1])) continue;
      for (const id of pair.ids) this.ids.add(id);
      const event = pair.events[1] as { data: { rlRunId: string; value: number } };
      const totals = this.runs.get(event.data.rlRunId) ?? { rewards: 0, valueSum: 0 };
      totals.rewards++;
      totals.valueSum += event.data.value;
      this.runs.set(event.data.rlRunId, totals);
    }
  }

  /** Per run: the number of rewards and the sum of their values the accepted events imply. */
  expectedRuns(): Record<string, { rewards: number; rollouts: number; valueSum: number }> {
    return Object.fromEntries(
      [...this.runs].map(([run, totals]) => [
        run,
        { rewards: totals.rewards, rollouts: totals.rewards, valueSum: totals.valueSum },
      ]),
    );
  }
}

/** Every record of `pairs`, flattened, for one append. */
export const recordsOf = (pairs: readonly EventPair[]): LogRecord[] =>
  pairs.flatMap((pair) => pair.records);

export async function journalCount(pool: Pool): Promise<number> {
  return Number((await pool.query('SELECT count(*) FROM event_journal')).rows[0].count);
}

/** Waits until the journal holds as many events as were accepted (or fails after the timeout). */
export async function waitForJournal(
  pool: Pool,
  accepted: AcceptedEvents,
  timeoutMs = 60_000,
  projector?: ChildProcess,
): Promise<void> {
  await expectEventually(
    async () => {
      if (projector && projector.exitCode !== null)
        throw new Error(`the projector exited (code ${projector.exitCode})`);
      expect(await journalCount(pool)).toBeGreaterThanOrEqual(accepted.ids.size);
    },
    timeoutMs,
    100,
  );
}

/**
 * The projection holds exactly what was accepted: each accepted id once in the journal and no
 * other, and per run the rewards, rollouts and reward rollups the accepted events imply.
 */
export async function expectProjectionOf(pool: Pool, accepted: AcceptedEvents): Promise<void> {
  const journal = await pool.query<{ event_id: string; copies: string }>(
    'SELECT event_id, count(*) AS copies FROM event_journal GROUP BY event_id',
  );
  expect(journal.rows.filter((row) => row.copies !== '1')).toEqual([]);
  expect(journal.rows.length).toBe(accepted.ids.size);
  expect(new Set(journal.rows.map((row) => row.event_id))).toEqual(accepted.ids);
  expect(await journalCount(pool)).toBe(accepted.ids.size);

  const runs = await pool.query<{
    rl_run_id: string;
    rewards: string;
    rollouts: string;
    rolled_up: string;
    rolled_up_sum: string;
    reward_sum: string;
  }>(`
    SELECT run.rl_run_id,
      (SELECT count(*) FROM rewards r WHERE r.rl_run_id = run.rl_run_id) AS rewards,
      (SELECT sum(r.value) FROM rewards r WHERE r.rl_run_id = run.rl_run_id) AS reward_sum,
      (SELECT count(*) FROM rollouts o WHERE o.rl_run_id = run.rl_run_id) AS rollouts,
      (SELECT sum(count) FROM reward_rollups u WHERE u.rl_run_id = run.rl_run_id) AS rolled_up,
      (SELECT sum(sum) FROM reward_rollups u WHERE u.rl_run_id = run.rl_run_id) AS rolled_up_sum
    FROM (SELECT DISTINCT rl_run_id FROM rewards UNION SELECT DISTINCT rl_run_id FROM rollouts) run`);
  const projected = Object.fromEntries(
    runs.rows.map((row) => {
      // Each run's numbers must agree between the raw rows and the rollups.
      expect(Number(row.rolled_up)).toBe(Number(row.rewards));
      expect(Number(row.rolled_up_sum)).toBe(Number(row.reward_sum));
      return [
        row.rl_run_id,
        {
          rewards: Number(row.rewards),
          rollouts: Number(row.rollouts),
          valueSum: Number(row.rolled_up_sum),
        },
      ];
    }),
  );
  expect(projected).toEqual(accepted.expectedRuns());
  expect((await pool.query('SELECT count(*) FROM dead_letters')).rows[0].count).toBe('0');
}

/** A producer loop running in the background; see {@link produceContinuously}. */
export interface Producing {
  /** Appends that failed with LogUnavailableError (each was sent again). */
  readonly failedAppends: number;
  /** Appends that succeeded. */
  readonly appends: number;
  /** Appends the log refused for good (only with `dropRefused`): not accepted, not resent. */
  readonly refusedAppends: number;
  /** Ids of the events of refused appends: they must not be projected. */
  readonly refusedIds: ReadonlySet<string>;
  /** Stops after the append in flight and rethrows what the loop failed with, if anything. */
  stop(): Promise<void>;
}

/**
 * Appends chunks of `pairsPerAppend` new pairs until stopped, like a retrying producer: a
 * failed append is sent again with the same records (it may have been written the first
 * time; the projector dedupes by event id). Only appends that succeeded are accepted.
 * `pauseMs` between appends keeps the stream within what the Kafka mock retains. With
 * `dropRefused`, an append the log refuses for good (LogRefusedError) is dropped, like a
 * caller would: its events are not accepted; otherwise it stops the loop.
 */
export function produceContinuously(
  log: EventLogProducer,
  accepted: AcceptedEvents,
  pairsPerAppend = 50,
  pauseMs = 20,
  { dropRefused = false }: { dropRefused?: boolean } = {},
): Producing {
  const state = { failedAppends: 0, appends: 0, refusedAppends: 0, stopped: false };
  const refusedIds = new Set<string>();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const loop = (async () => {
    while (!state.stopped) {
      const pairs = accepted.makePairs(pairsPerAppend);
      let refused = false;
      for (;;) {
        try {
          await log.append(recordsOf(pairs));
          break;
        } catch (error) {
          if (dropRefused && error instanceof LogRefusedError) {
            refused = true;
            break;
          }
          if (!(error instanceof LogUnavailableError)) throw error;
          state.failedAppends++;
          await sleep(100);
        }
      }
      if (refused) {
        state.refusedAppends++;
        for (const pair of pairs) for (const id of pair.ids) refusedIds.add(id);
        continue;
      }
      accepted.accept(pairs);
      state.appends++;
      // Pacing only: the Kafka mock keeps ~5 MiB per partition, older messages fall off.
      await sleep(pauseMs);
    }
  })();
  loop.catch(() => undefined); // observed by stop()
  return {
    get failedAppends() {
      return state.failedAppends;
    },
    get appends() {
      return state.appends;
    },
    get refusedAppends() {
      return state.refusedAppends;
    },
    refusedIds,
    async stop() {
      state.stopped = true;
      await loop;
    },
  };
}
