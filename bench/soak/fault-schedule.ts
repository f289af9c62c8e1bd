import { KafkaApiKey, KafkaErrorCode, type KafkaMock, type TcpProxy } from '@tracker/testing';
import type { Pool } from 'pg';
import type { Supervised } from './processes';

/** What the faults act on. */
export interface FaultTargets {
  readonly kafka: KafkaMock;
  readonly proxy: TcpProxy;
  readonly projector: Supervised;
  /** A pool on the soak's database (directly, not through the proxy). */
  readonly pool: Pool;
  readonly databaseName: string;
}

/** A fault that happened: when it started and ended (ms since the load started), and what. */
export interface FaultRecord {
  readonly name: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly detail: string;
  /**
   * How long after its end the projection took to hold every event accepted by then (ms);
   * null when it did not within the watch; undefined while watched.
   */
  recoveredMs?: number | null;
}

interface Fault {
  readonly name: string;
  /** Its name in --faults. */
  readonly option: string;
  /** Injects the fault and repairs it; resolves with what was done. */
  run(targets: FaultTargets, holdMs: number): Promise<string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The application_name the tracker's pools set (libs/read-model open-database.ts).
const TRACKER_APPLICATION = 'post-training-tracker';

/** The faults, in the order the schedule cycles through them. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'kafka broker down',
    option: 'broker-down',
    async run({ kafka }, holdMs) {
      await kafka.brokerDown(1);
      await sleep(holdMs);
      await kafka.brokerUp(1);
      return `broker 1 down for ${(holdMs / 1000).toFixed(0)} s, then up`;
    },
  },
  {
    name: 'projector SIGKILL',
    option: 'projector-kill',
    async run({ projector }) {
      await projector.kill('SIGKILL');
      await sleep(2_000);
      projector.restart();
      return `projector killed, restarted 2 s later (pid ${projector.child?.pid})`;
    },
  },
  {
    name: 'postgres backends terminated',
    option: 'pg-terminate',
    async run({ pool, databaseName }) {
      // Three rounds a second apart: the projector's and the API's connections (LISTEN too).
      let terminated = 0;
      for (let round = 0; round < 3; round++) {
        const { rows } = await pool.query<{ terminated: boolean }>(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
           WHERE datname = $1 AND application_name = $2`,
          [databaseName, TRACKER_APPLICATION],
        );
        terminated += rows.filter((row) => row.terminated).length;
        await sleep(1_000);
      }
      return `${terminated} tracker backends terminated in 3 rounds`;
    },
  },
  {
    name: 'postgres unreachable',
    option: 'pg-unreachable',
    async run({ proxy }, holdMs) {
      const refusedBefore = proxy.refused;
      proxy.cut();
      await sleep(holdMs);
      proxy.restore();
      return `projector's link to Postgres cut for ${(holdMs / 1000).toFixed(0)} s (${proxy.refused - refusedBefore} connections refused), then restored`;
    },
  },
  {
    name: 'kafka produce errors',
    option: 'produce-errors',
    async run({ kafka }) {
      // Both retriable: the producer tries again.
      await kafka.failRequests(KafkaApiKey.Produce, 3, KafkaErrorCode.NotLeaderOrFollower);
      await kafka.failRequests(KafkaApiKey.Produce, 3, KafkaErrorCode.RequestTimedOut);
      return 'next 6 Produce requests fail (3 x NOT_LEADER_FOR_PARTITION, 3 x REQUEST_TIMED_OUT)';
    },
  },
];

/** The faults named in `list` (comma-separated options), in schedule order; all when empty. */
export function selectFaults(list: string | undefined): readonly Fault[] {
  if (!list) return FAULTS;
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !FAULTS.some((fault) => fault.option === name));
  if (unknown.length > 0)
    throw new Error(
      `--faults: unknown ${unknown.join(', ')}; known: ${FAULTS.map((fault) => fault.option).join(', ')}`,
    );
  return FAULTS.filter((fault) => names.includes(fault.option));
}

/** Runs `faults` in turn every `everyMs` until stopped; the one in progress is finished. */
export function startFaultSchedule(
  faults: readonly Fault[],
  targets: FaultTargets,
  everyMs: number,
  loadStartedAt: number,
  onFault: (record: FaultRecord) => void,
): { stop(): Promise<void> } {
  // A fault holds for at most half the period (10 s at most), so that the next one finds it repaired.
  const holdMs = Math.min(10_000, everyMs / 2);
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    for (let index = 0; !stopped; index++) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, everyMs);
      });
      if (stopped) return;
      const fault = faults[index % faults.length];
      const startedAt = Date.now() - loadStartedAt;
      let detail: string;
      try {
        detail = await fault.run(targets, holdMs);
      } catch (error) {
        detail = `FAILED to inject: ${error instanceof Error ? error.message : String(error)}`;
      }
      onFault({ name: fault.name, startedAt, endedAt: Date.now() - loadStartedAt, detail });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
