import type { Pool } from 'pg';
import {
  rewardPointColumnsSql,
  toRewardPoint,
  type RewardPointRow,
} from '../reads/metrics/reward-point.sql';
import type { RewardRow } from '../reads/rewards/reward.model';
import { promptReturn, type Stoppable } from './prompt-return';
import type { RewardSeriesUpdate, RewardStepChange } from './reward-series-update.model';

export interface RewardSeriesUpdatesRequest {
  readonly rlRunId: string;
  /** The run's rewards, live (see LiveService.stream); read as fast as they come. */
  readonly rewards: Stoppable<RewardRow>;
  /** At most this many updates a second. */
  readonly maxRateHz: number;
}

/**
 * Coalesced chart updates: rewards are read as they are projected and only the (step, domain,
 * kind) they touch are remembered; at most `maxRateHz` times a second, if anything was touched,
 * those steps' rollups are read (span-1 block rollups, merged over judges by the projector) and
 * sent as one update. A busy run therefore costs a browser a few small messages a second, and a
 * slow subscriber gets fewer, larger updates instead of a growing backlog.
 */
export function rewardSeriesUpdates(
  pool: Pool,
  request: RewardSeriesUpdatesRequest,
): Stoppable<RewardSeriesUpdate> {
  const intervalMs = 1000 / request.maxRateHz;
  let touched = new Map<string, { step: number; domain: string; kind: string }>();
  let through: string | null = null;
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };

  void (async () => {
    try {
      for await (const row of request.rewards) {
        touched.set(`${row.step}\u0000${row.domain}\u0000${row.kind}`, {
          step: row.step,
          domain: row.domain,
          kind: row.kind,
        });
        through = row.position;
        signal();
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      ended = true;
      signal();
    }
  })();

  async function* updates(): AsyncGenerator<RewardSeriesUpdate> {
    let sentAt = 0;
    for (;;) {
      while (touched.size === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      if (touched.size === 0) return;
      const wait = sentAt + intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const keys = [...touched.values()];
      const position = through!;
      touched = new Map();
      sentAt = Date.now();
      yield {
        rlRunId: request.rlRunId,
        throughPosition: position,
        changes: await readStepChanges(pool, request.rlRunId, keys),
      };
    }
  }

  return promptReturn(updates(), () => {
    void request.rewards.return();
    ended = true;
    signal();
  });
}

async function readStepChanges(
  pool: Pool,
  rlRunId: string,
  keys: ReadonlyArray<{ step: number; domain: string; kind: string }>,
): Promise<RewardStepChange[]> {
  const { rows } = await pool.query<
    RewardPointRow & { step: number; domain: string; kind: string }
  >(
    `SELECT r.step, r.domain, r.kind, ${rewardPointColumnsSql('r')}
     FROM unnest($2::int[], $3::text[], $4::text[]) AS k (step, domain, kind)
     JOIN reward_block_rollups r
       ON r.rl_run_id = $1 AND r.span = 1 AND r.step = k.step AND r.domain = k.domain AND r.kind = k.kind
     ORDER BY r.step, r.domain, r.kind`,
    [
      rlRunId,
      keys.map((key) => key.step),
      keys.map((key) => key.domain),
      keys.map((key) => key.kind),
    ],
  );
  return rows.map((row) => ({
    domain: row.domain,
    kind: row.kind,
    point: toRewardPoint(row, { fromStep: row.step, toStep: row.step }),
  }));
}
